package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many platform and virtual threads attaching, calling Python, detaching and attaching again, all
 * at once, with every result checked exactly; a deadlock fails with a thread dump.
 */
class AttachStressTest {

    static final int PLATFORM_THREADS = 8;
    static final int PLATFORM_ROUNDS = 5_000;
    static final int VIRTUAL_THREADS = 10_000;
    static final int VIRTUAL_ROUNDS = 20;

    /** f(i, t) = i*i + t, computed by Python. */
    private static Py<PyObject> f;

    @BeforeAll
    static void defineFunction() {
        f = Python.attach(py -> PyModule.fromCode(py, "def f(i, t):\n    return i * i + t\n", "stress.py",
                "pyjama_threads_stress").getAttr("f").unbind());
    }

    @AfterAll
    static void release() {
        f.close();
    }

    /** One round: attach, call, sometimes detach and call again, sometimes a nested scope. */
    private static void round(long i, long t, ConcurrentLinkedQueue<String> errors, LongAdder checked) {
        long r = Python.attach(py -> {
            long v = f.bind(py).call(i, t).toJava(long.class);
            if (i % 4 == 0) {
                // release the GIL for a moment of Java work, then use Python again in the same scope
                long java = py.detach(() -> i * i + t);
                if (java != v) {
                    errors.add("detach body result " + java + " != " + v);
                }
                v = f.bind(py).call(i, t).toJava(long.class);
            }
            if (i % 8 == 1) {
                long nested = py.scope(inner -> f.bind(inner).call(i, t).toJava(long.class));
                if (nested != v) {
                    errors.add("nested scope result " + nested + " != " + v);
                }
            }
            return v;
        });
        if (r != i * i + t) {
            errors.add("thread " + t + " round " + i + ": got " + r + ", expected " + (i * i + t));
        } else {
            checked.increment();
        }
    }

    @Test
    void platformAndVirtualThreadsAttachConcurrentlyWithExactResults() throws Exception {
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        LongAdder checked = new LongAdder();
        Set<Boolean> bodyOnVirtual = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(PLATFORM_THREADS + VIRTUAL_THREADS);
        long t0 = System.nanoTime();
        Thread[] platform = new Thread[PLATFORM_THREADS];
        for (int p = 0; p < PLATFORM_THREADS; p++) {
            long tid = 1_000_000L * (p + 1);
            platform[p] = new Thread(() -> {
                try {
                    start.await();
                    for (long i = 0; i < PLATFORM_ROUNDS; i++) {
                        round(i, tid, errors, checked);
                    }
                } catch (Throwable e) {
                    errors.add("platform thread " + tid + ": " + e);
                } finally {
                    done.countDown();
                }
            }, "stress-platform-" + p);
            platform[p].setDaemon(true);
            platform[p].start();
        }
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int v = 0; v < VIRTUAL_THREADS; v++) {
                long tid = v;
                virtual.execute(() -> {
                    try {
                        start.await();
                        for (long i = 0; i < VIRTUAL_ROUNDS; i++) {
                            round(i, tid, errors, checked);
                        }
                        if (tid % 100 == 0) {
                            bodyOnVirtual.add(Python.attach(py -> Thread.currentThread().isVirtual()));
                        }
                    } catch (Throwable e) {
                        errors.add("virtual thread " + tid + ": " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            start.countDown();
            Watchdog.await(done, 50, "8 platform threads x " + PLATFORM_ROUNDS + " rounds and " + VIRTUAL_THREADS
                    + " virtual threads x " + VIRTUAL_ROUNDS + " rounds");
        }
        long ms = Watchdog.millisSince(t0);
        System.out.println("[AttachStressTest] " + checked.sum() + " rounds in " + ms + " ms");
        assertTrue(errors.isEmpty(), errors.size() + " errors, first: " + errors.peek());
        assertEquals((long) PLATFORM_THREADS * PLATFORM_ROUNDS + (long) VIRTUAL_THREADS * VIRTUAL_ROUNDS,
                checked.sum());
        assertEquals(Set.of(false), bodyOnVirtual, "attach(body) from a virtual thread must run body on a platform"
                + " thread");
        // the interpreter is still fine
        long answer = Python.attach(py -> py.eval("6 * 7").toJava(long.class));
        assertEquals(42L, answer);
    }

    @Test
    void attachScopeOnVirtualThreadIsRefusedWithAdvice() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> seen = new ConcurrentLinkedQueue<>();
        Thread.ofVirtual().start(() -> {
            try (Python py = Python.attach()) {
                seen.add(new AssertionError("try-with-resources attach on a virtual thread was accepted: " + py));
            } catch (Throwable e) {
                seen.add(e);
            } finally {
                done.countDown();
            }
        });
        Watchdog.await(done, 10, "virtual thread");
        Throwable e = seen.peek();
        assertTrue(e instanceof UnsupportedOperationException, String.valueOf(e));
        assertTrue(e.getMessage().contains("Python.attach(py -> ...)"), e.getMessage());
    }
}
