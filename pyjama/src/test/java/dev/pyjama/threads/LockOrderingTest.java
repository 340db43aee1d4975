package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.PyOnceCell;
import dev.pyjama.Python;
import dev.pyjama.PythonConfig;
import dev.pyjama.testing.PyTesting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every lock the library has (the GIL, interpreter start-up, the Cleaner and its release queue,
 * {@link PyOnceCell}, the interrupt watchdog, the virtual-thread pool) in use at once from many
 * threads, under a watchdog: it must finish, and every Python object made must be released.
 */
class LockOrderingTest {

    // Live objects are counted by the garbage collector, not by a counter the objects keep: `x += 1`
    // in Python is several bytecodes, so a thread switch between them loses an update, and an
    // interrupt landing in __init__ before its increment still runs __del__ (both were seen: counts
    // of 1 and -1 left over). __del__ still runs Python code during releases. live() collects first:
    // gc.get_objects() also lists unreachable objects in cycles the collector has not reached yet
    // (a traceback's frame holds `self` when an interrupt lands in __init__), which no reference of
    // pyjama's keeps; a leak is a Tracked object still reachable after a collection.
    private static final String CODE = String.join("\n",
            "import gc",
            "class Tracked:",
            "    def __init__(self, n):",
            "        self.n = n",
            "    def __del__(self):",
            "        self.n = -self.n",
            "def live():",
            "    gc.collect()",
            "    return sum(1 for o in gc.get_objects() if type(o) is Tracked)",
            "");

    @Test
    void mixedWorkloadCompletesAndReleasesEverything() throws Exception {
        Py<PyObject> module = Python.attach(py -> PyModule.fromCode(py, CODE, "locks.py", "pyjama_threads_locks")
                .unbind());
        PythonConfig sameConfig = sameConfig();
        PyOnceCell<Py<PyObject>> cell = new PyOnceCell<>();
        LinkedBlockingQueue<Py<PyObject>> toClose = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong made = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        AtomicLong initializes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long runMillis = 2_500;

        // attached producers: Py objects handed to other threads to close, others simply dropped (GC)
        for (int p = 0; p < 4; p++) {
            int id = p;
            threads.add(start("producer-" + p, errors, () -> {
                long i = 0;
                while (!stop.get()) {
                    long n = i++;
                    Python.attach(py -> {
                        PyObject tracked = module.bind(py).getAttr("Tracked");
                        Py<PyObject> shared = cell.get(py, q -> q.eval("object()").unbind());
                        shared.bind(py);
                        Py<PyObject> a = tracked.call(n).unbind();
                        Py<PyObject> b = tracked.call(n).unbind(); // dropped: released by the Cleaner
                        made.addAndGet(2);
                        toClose.add(a);
                        if (n % 16 == 0) {
                            py.detach(() -> {
                                Python.attach(p2 -> p2.eval("1"));
                                return null;
                            });
                        }
                        if (id == 0 && n % 200 == 0) {
                            // start-up lock taken while attached
                            Python.initialize(sameConfig);
                            initializes.incrementAndGet();
                        }
                        return b == null ? null : Boolean.TRUE;
                    });
                }
            }));
        }
        // unattached closers: each close attaches briefly
        for (int c = 0; c < 2; c++) {
            threads.add(start("closer-" + c, errors, () -> {
                while (!stop.get() || !toClose.isEmpty()) {
                    Py<PyObject> r = toClose.poll(10, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        r.close();
                        closed.incrementAndGet();
                    }
                }
            }));
        }
        // the garbage collector, running the Cleaner all the time
        threads.add(start("gc", errors, () -> {
            while (!stop.get()) {
                System.gc();
                Thread.sleep(15);
            }
        }));
        // start-up lock taken while not attached
        threads.add(start("initializer", errors, () -> {
            while (!stop.get()) {
                Python.initialize(sameConfig);
                initializes.incrementAndGet();
                Thread.sleep(100);
            }
        }));
        // virtual threads through the platform pool, with interrupts arriving now and then
        threads.add(start("virtual-spawner", errors, () -> {
            long v = 0;
            while (!stop.get()) {
                List<Thread> batch = new ArrayList<>();
                for (int k = 0; k < 50; k++) {
                    long n = v++;
                    batch.add(Thread.ofVirtual().start(() -> {
                        try {
                            Python.attach(py -> {
                                Py<PyObject> t = module.bind(py).getAttr("Tracked").call(n).unbind();
                                made.incrementAndGet();
                                return t; // dropped: released by the Cleaner
                            });
                        } catch (dev.pyjama.exceptions.PythonInterruptedException e) {
                            // an interrupt that reached Python: fine
                        }
                    }));
                }
                batch.get(batch.size() / 2).interrupt();
                for (Thread t : batch) {
                    t.join(10_000);
                    if (t.isAlive()) {
                        throw new AssertionError("a virtual thread did not finish");
                    }
                }
            }
        }));

        CountDownLatch finished = new CountDownLatch(threads.size());
        Thread joiner = new Thread(() -> {
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    return;
                }
                finished.countDown();
            }
        });
        joiner.setDaemon(true);
        joiner.start();
        Thread.sleep(runMillis);
        stop.set(true);
        Watchdog.await(finished, 30, "the mixed workload to stop (lock-order deadlock?)");
        assertTrue(errors.isEmpty(), errors.size() + " errors, first: " + errors.peek());
        // A producer's last iteration can queue an object after both closers saw the queue empty
        // and stopped: close those here, or they stay reachable from the queue and never go.
        for (Py<PyObject> r; (r = toClose.poll()) != null; ) {
            r.close();
            closed.incrementAndGet();
        }
        System.out.println("[LockOrderingTest] made " + made.get() + " objects, closed " + closed.get()
                + " explicitly, initialize() " + initializes.get() + " times");
        assertTrue(closed.get() > 0 && initializes.get() > 1 && made.get() > closed.get());

        // every Tracked object is released: closed ones now, dropped ones once the Cleaner ran. On a
        // free-threaded build most were made by a producer or a virtual thread's carrier and released
        // on another thread: each waits in its maker's queue until the maker runs Python again, which
        // a producer never does now, or until a collection (PyTesting.mergeHandedOffReleases).
        boolean allReleased = PyTesting.eventuallyWithGc(Duration.ofSeconds(15), () -> Python.attach(py -> {
            PyTesting.mergeHandedOffReleases(py);
            return module.bind(py).getAttr("live").call().toJava(long.class) == 0;
        }));
        long live = Python.attach(py -> module.bind(py).getAttr("live").call().toJava(long.class));
        assertTrue(allReleased, live + " Tracked objects were never released");
        assertEquals(0, live);
        cell.getIfPresent().close();
        module.close();
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, ConcurrentLinkedQueue<Throwable> errors, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "locks-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static PythonConfig sameConfig() {
        String configured = PyTesting.configuredPython();
        if (configured != null) {
            return PythonConfig.of(configured);
        }
        return PythonConfig.of(Python.info().executable().orElseThrow());
    }
}
