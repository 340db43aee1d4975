package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.internal.runtime.ReleaseQueue;
import dev.pyjama.testing.PyTesting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Nothing leaks: a soak of nested scopes and {@code Py<T>} churn across 4 threads (references made
 * on one thread are bound, closed or just dropped on another), 1,000,000 operations by default
 * ({@code -Dpyjama.soak.ops=10000000} for the long variant). After a warm-up of a tenth of the
 * operations, the resident set may grow by at most {@link #RSS_BOUND_BYTES} (64 MiB) and Python's
 * allocated blocks by at most {@link #BLOCKS_BOUND}. The child runs with a fixed, pre-touched heap so
 * that Java heap growth does not count. Also: references dropped while no thread is attached are
 * released on the next attach (and not before: the Cleaner thread never calls Python), and a
 * {@code Py} dropped by a thread that never attaches again is released by another thread's attach.
 */
class LeakSoakTest {

    static final long RSS_BOUND_BYTES = 64L << 20;
    static final long BLOCKS_BOUND = 5_000;
    static final int THREADS = 4;
    static final int PER_ATTACH = 500;

    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new AssertionError("no VmRSS");
    }

    static long settledBlocks() {
        PyTesting.eventuallyWithGc(Duration.ofSeconds(2), () -> false); // a few GCs: the Cleaner queues drops
        String collectAndCount = "__import__('gc').collect() * 0 + __import__('sys').getallocatedblocks()";
        return Python.attach(py -> {
            long blocks = py.eval(collectAndCount).toJava(long.class);
            if (PyTesting.freeThreaded()) {
                // Releases made on threads other than an object's maker wait in the maker's queue,
                // here the soak threads', which never run Python again; a collection applies them
                // (PyTesting.mergeHandedOffReleases). Freeing a list then drops its items on the
                // collecting thread, which queues them for their maker in turn: each collection
                // applies one more level. Collect until the count stops falling (two do here).
                for (int i = 0; i < 10; i++) {
                    long again = py.eval(collectAndCount).toJava(long.class);
                    boolean fell = again < blocks;
                    blocks = again;
                    if (!fell) {
                        break;
                    }
                }
            }
            return blocks;
        });
    }

    /** One soak phase: each thread does ops/THREADS operations; returns the checksum. */
    static long soak(long ops) throws InterruptedException {
        ConcurrentLinkedQueue<Py<PyObject>> exchange = new ConcurrentLinkedQueue<>();
        AtomicLong checksum = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long perThread = ops / THREADS;
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    long sum = 0;
                    for (long start = 0; start < perThread; start += PER_ATTACH) {
                        long from = start;
                        long to = Math.min(perThread, start + PER_ATTACH);
                        sum += Python.attach(py -> {
                            long s = 0;
                            for (long i = from; i < to; i++) {
                                long v = i;
                                s += py.scope(in -> {
                                    PyList l = in.list(v, "s" + (v & 7), 1.5);
                                    long got = l.get(0).toJava(long.class);
                                    if (v % 4 == 0) {
                                        exchange.add(l.unbind()); // another thread binds it, closes or drops it
                                    }
                                    Py<PyObject> other = exchange.poll();
                                    if (other != null) {
                                        long n = in.scope(inner -> other.bind(inner).len());
                                        if (n != 3) {
                                            throw new AssertionError("len " + n);
                                        }
                                        if (v % 8 < 4) {
                                            other.close();
                                        } // else dropped: the Cleaner queues it
                                    }
                                    return got;
                                });
                            }
                            return s;
                        });
                    }
                    checksum.addAndGet(sum);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "soak-" + id));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        exchange.forEach(Py::close);
        if (failure.get() != null) {
            throw new AssertionError("a soak thread failed", failure.get());
        }
        long expected = THREADS * (perThread * (perThread - 1) / 2);
        assertEquals(expected, checksum.get(), "every operation ran and returned its value");
        return checksum.get();
    }

    public static final class Cases implements ScenarioSet {
        @Override
        public Map<String, Body> scenarios() {
            return new Builder()
                    .add("soak-4-threads", () -> {
                        long ops = Long.getLong("pyjama.soak.ops", 1_000_000);
                        long t0 = System.nanoTime();
                        soak(ops / 10);
                        long blocks0 = settledBlocks();
                        long rss0 = rssBytes();
                        soak(ops);
                        long blocks1 = settledBlocks();
                        long rss1 = rssBytes();
                        String report = String.format("%d ops: RSS %d -> %d MiB (%+d KiB), Python blocks %d -> %d, %d ms",
                                ops, rss0 >> 20, rss1 >> 20, (rss1 - rss0) >> 10, blocks0, blocks1,
                                (System.nanoTime() - t0) / 1_000_000);
                        System.out.println("soak: " + report);
                        assertTrue(blocks1 - blocks0 < BLOCKS_BOUND, "Python allocated blocks grew: " + report);
                        assertTrue(rss1 - rss0 < RSS_BOUND_BYTES, "RSS grew by more than 64 MiB: " + report);
                    })
                    .add("cleaner-release-waits-for-next-attach", () -> {
                        Python.attach(py -> {
                            py.run("import weakref\nclass _T: pass\n_t = _T()\n_w = weakref.ref(_t)\n");
                            return null;
                        });
                        Py<PyObject> ref = Python.attach(py -> {
                            Py<PyObject> r = py.eval("_t").unbind();
                            py.run("del _t");
                            return r;
                        });
                        // nobody is attached now; drop the only reference
                        int before = ReleaseQueue.pendingCount();
                        ref = null;
                        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(10),
                                () -> ReleaseQueue.pendingCount() > before), "the Cleaner did not queue the release");
                        Thread.sleep(200); // if anything released it off-GIL it would have to happen now
                        assertTrue(ReleaseQueue.pendingCount() > before, "queued until someone attaches");
                        assertTrue(Python.<Boolean>attach(py -> py.eval("_w() is None").toJava(boolean.class)),
                                "released by the next attach");
                        assertEquals(0, ReleaseQueue.pendingCount());
                    })
                    .add("py-dropped-by-thread-that-never-attaches-again", () -> {
                        Python.attach(py -> {
                            py.run("import weakref, sys\nclass _U: pass\n_u = _U()\n_wu = weakref.ref(_u)\n"
                                    + "_base = sys.getrefcount(_u)\n");
                            return null;
                        });
                        AtomicReference<Long> seen = new AtomicReference<>();
                        Thread t = new Thread(() -> {
                            Py<PyObject> mine = Python.attach(py -> py.eval("_u").unbind());
                            seen.set(Python.attach(py -> py.eval("sys.getrefcount(_u) - _base").toJava(long.class)));
                            // the thread ends holding 'mine'; it never attaches again
                            if (mine.isClosed()) {
                                throw new AssertionError();
                            }
                        }, "one-shot");
                        t.start();
                        t.join();
                        assertEquals(1L, seen.get(), "the thread's Py held one reference");
                        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(10), () -> ReleaseQueue.pendingCount() > 0),
                                "the Cleaner did not queue the dropped Py");
                        Python.attach(py -> {
                            assertEquals(0L, py.eval("sys.getrefcount(_u) - _base").toJava(long.class));
                            py.run("del _u");
                            assertTrue(py.eval("_wu() is None").toJava(boolean.class));
                            return null;
                        });
                    })
                    .build();
        }
    }

    @TestFactory
    Stream<DynamicTest> leaks() {
        String ops = System.getProperty("pyjama.soak.ops", "1000000");
        int timeout = (int) Math.max(150, Long.parseLong(ops) / 5_000);
        return ForkedScenarios.run("leaks", Cases.class, n -> true, timeout, "-Xms128m", "-Xmx128m",
                "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-Dpyjama.soak.ops=" + ops).stream();
    }
}
