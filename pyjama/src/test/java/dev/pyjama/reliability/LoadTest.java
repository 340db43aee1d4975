package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Load: {@link #PLATFORM} platform and {@link #VIRTUAL} virtual threads each run
 * {@link #ITERATIONS} iterations of mixed work (calls, conversions both ways, Java callbacks called
 * from Python, Python exceptions, Java exceptions through Python, nested scopes, detach, Py handoff
 * between threads), checking every result. A watchdog fails the run with a thread dump if no
 * iteration completes for {@link #STALL_SECONDS} seconds.
 */
class LoadTest {

    static final int PLATFORM = 4;
    static final int VIRTUAL = 16;
    static final int ITERATIONS = 1_500;
    static final int STALL_SECONDS = 30;

    static final class JavaBoom extends RuntimeException {
        JavaBoom(String m) {
            super(m);
        }
    }

    static void iteration(Python py, int worker, int i, Py<PyObject> helpers, ConcurrentLinkedQueue<Py<PyObject>> handoff) {
        py.scope(in -> {
            PyObject h = helpers.bind(in);
            long x = worker * 100_000L + i;
            check(x * x + 1, h.callMethod("square_plus_one", x).toJava(long.class), "call");
            Map<String, Object> m = in.toPython(Map.of("k", x, "l", List.of(x, "s"))).toJava(Map.class);
            check(x, ((Number) m.get("k")).longValue(), "map round trip");
            check(List.of(x, "s"), m.get("l"), "list round trip");
            PyCallable cb = in.function("cb", (PyObject o) -> o.toJava(long.class) * 3);
            check(3 * x + 3, h.callMethod("apply_sum", cb, x).toJava(long.class), "callback");
            try {
                h.callMethod("lookup", "missing-" + x);
                throw new AssertionError("no KeyError");
            } catch (PyKeyError e) {
                check(true, e.getMessage().contains("missing-" + x), "KeyError message: " + e.getMessage());
            }
            PyCallable thrower = in.function("thrower", () -> {
                throw new JavaBoom("boom " + x);
            });
            try {
                h.callMethod("call", thrower);
                throw new AssertionError("no JavaBoom");
            } catch (JavaBoom e) {
                check("boom " + x, e.getMessage(), "Java exception through Python");
            }
            try {
                in.eval("1 // 0");
            } catch (PyZeroDivisionError expected) {
                // fine
            }
            if (!Thread.currentThread().getName().startsWith("pyjama-platform") && i % 16 == 0) {
                check(x, (long) in.detach(() -> x), "detach");
            }
            handoff.add(in.integer(x).unbind());
            Py<PyObject> other = handoff.poll();
            if (other != null) {
                try {
                    other.bind(in).toJava(long.class);
                } finally {
                    other.close();
                }
            }
            return null;
        });
    }

    static void check(Object expected, Object actual, String what) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual);
        }
    }

    public static final class Cases implements ScenarioSet {
        @Override
        public Map<String, Body> scenarios() {
            return new Builder().add("mixed-load-with-watchdog", () -> {
                Py<PyObject> helpers = Python.attach(py -> {
                    py.run("""
                            class _Helpers:
                                def square_plus_one(self, x): return x * x + 1
                                def apply_sum(self, f, x): return sum(map(f, [x, 1]))
                                def lookup(self, k): return {}[k]
                                def call(self, f): return f()
                            """);
                    return py.eval("_Helpers()").unbind();
                });
                ConcurrentLinkedQueue<Py<PyObject>> handoff = new ConcurrentLinkedQueue<>();
                AtomicLong progress = new AtomicLong();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < PLATFORM + VIRTUAL; w++) {
                    int worker = w;
                    Runnable r = () -> {
                        try {
                            for (int i = 0; i < ITERATIONS; i++) {
                                int it = i;
                                Python.attach(py -> {
                                    iteration(py, worker, it, helpers, handoff);
                                    return null;
                                });
                                progress.incrementAndGet();
                                if (worker >= PLATFORM && i % 50 == 0) {
                                    Thread.sleep(1); // a virtual thread unmounts between scopes
                                }
                            }
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    };
                    threads.add(w < PLATFORM ? new Thread(r, "load-platform-" + w)
                            : Thread.ofVirtual().name("load-virtual-" + w).unstarted(r));
                }
                threads.forEach(Thread::start);
                long last = -1;
                long lastChange = System.nanoTime();
                while (threads.stream().anyMatch(Thread::isAlive)) {
                    Thread.sleep(250);
                    long p = progress.get();
                    if (p != last) {
                        last = p;
                        lastChange = System.nanoTime();
                    } else if (System.nanoTime() - lastChange > STALL_SECONDS * 1_000_000_000L) {
                        StringBuilder dump = new StringBuilder("no progress for " + STALL_SECONDS + " s at " + p
                                + " iterations (deadlock?); thread dump:\n");
                        Thread.getAllStackTraces().forEach((t, st) -> {
                            dump.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
                            for (StackTraceElement e : st) {
                                dump.append("    at ").append(e).append('\n');
                            }
                        });
                        System.out.println(dump);
                        fail(dump.toString());
                    }
                }
                helpers.close();
                handoff.forEach(Py::close);
                if (!failures.isEmpty()) {
                    AssertionError e = new AssertionError(failures.size() + " worker(s) failed; first: " + failures.peek(),
                            failures.peek());
                    throw e;
                }
                check((long) (PLATFORM + VIRTUAL) * ITERATIONS, progress.get(), "iterations");
                System.out.println("load: " + progress.get() + " iterations");
            }).build();
        }
    }

    @TestFactory
    Stream<DynamicTest> load() {
        return ForkedScenarios.run("load", Cases.class, n -> true, 180).stream();
    }
}
