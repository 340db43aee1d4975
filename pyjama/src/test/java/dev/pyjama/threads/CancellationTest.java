package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyKeyboardInterrupt;
import dev.pyjama.exceptions.PythonInterruptedException;
import dev.pyjama.internal.runtime.VirtualThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interrupting a Java thread that runs Python stops that Python code promptly with
 * {@link PythonInterruptedException}, touches no other thread, and leaves nothing pending behind.
 */
class CancellationTest {

    /** How long the Python code may take to stop after the interrupt. */
    static final long STOP_MILLIS = 2_000;

    private static final String CODE = String.join("\n",
            "import time",
            "stop = [False]",
            "def spin():",
            "    # an endless loop with an escape hatch, so a failing test can still clean up",
            "    while not stop[0]:",
            "        pass",
            "def swallow():",
            "    try:",
            "        while True:",
            "            pass",
            "    except KeyboardInterrupt:",
            "        return 'swallowed'",
            "def busy(seconds):",
            "    # pure Python for a while; returns how many iterations it did",
            "    n = 0",
            "    end = time.monotonic() + seconds",
            "    while time.monotonic() < end:",
            "        n += 1",
            "    return n",
            "def count(k):",
            "    s = 0",
            "    for i in range(k):",
            "        s += i",
            "    return s",
            "def loop_calling(f):",
            "    while True:",
            "        f()",
            "class SlowDel:",
            "    finished = [0]",
            "    def __del__(self):",
            "        busy(0.3)",
            "        SlowDel.finished[0] += 1",
            "");

    private static Py<PyObject> module;
    private final List<ExecutorService> executors = new ArrayList<>();

    @BeforeAll
    static void define() {
        module = Python.attach(py -> PyModule.fromCode(py, CODE, "cancel.py", "pyjama_threads_cancel").unbind());
    }

    @AfterAll
    static void release() {
        module.close();
    }

    @AfterEach
    void stopSpinnersAndExecutors() {
        // a test that failed may have left spin() running: let it end
        Python.attach(py -> {
            module.bind(py).getAttr("stop").setItem(0, true);
            return null;
        });
        for (ExecutorService e : executors) {
            e.shutdownNow();
        }
        Python.attach(py -> {
            module.bind(py).getAttr("stop").setItem(0, false);
            return null;
        });
    }

    private ExecutorService singleThread(String name) {
        ExecutorService e = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executors.add(e);
        return e;
    }

    /** A thread computing exact results in Python until stopped; errors and rounds are recorded. */
    private static final class Bystander implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong rounds = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final Thread thread;

        Bystander() {
            thread = new Thread(() -> {
                long i = 0;
                while (!stop.get()) {
                    long k = 1000 + (i++ % 100);
                    try {
                        long r = Python.attach(py -> py.eval("sum(range(" + k + "))").toJava(long.class));
                        if (r != k * (k - 1) / 2) {
                            errors.add(new AssertionError("sum(range(" + k + ")) = " + r));
                        }
                        rounds.incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            }, "bystander");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            stop.set(true);
            Watchdog.join(thread, 10, "bystander");
            assertTrue(errors.isEmpty(), "the bystander thread was affected: " + errors.peek());
            assertTrue(rounds.get() > 0, "the bystander never ran");
        }
    }

    private record Outcome(Throwable thrown, boolean interruptFlag, long endedAt, Thread thread) {}

    @Test
    void futureCancelStopsAnInfiniteLoop() throws Exception {
        ExecutorService exec = singleThread("cancel-worker");
        CountDownLatch attached = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        try (Bystander bystander = new Bystander()) {
            Future<?> future = exec.submit(() -> {
                Throwable thrown = null;
                try {
                    Python.attach(py -> {
                        attached.countDown();
                        py.run("while True: pass");
                        return null;
                    });
                } catch (Throwable e) {
                    thrown = e;
                }
                outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted(), System.nanoTime(),
                        Thread.currentThread()));
                ended.countDown();
            });
            Watchdog.await(attached, 10, "the task attaching");
            assertThrows(TimeoutException.class, () -> future.get(200, TimeUnit.MILLISECONDS));
            long cancelledAt = System.nanoTime();
            assertTrue(future.cancel(true));
            Watchdog.await(ended, STOP_MILLIS / 1000.0, "the Python loop to stop after cancel(true)");
            Outcome o = outcome.get();
            long stopMillis = (o.endedAt() - cancelledAt) / 1_000_000;
            assertInstanceOf(PythonInterruptedException.class, o.thrown(), "the task saw " + o.thrown());
            assertInstanceOf(PyKeyboardInterrupt.class, o.thrown());
            assertTrue(o.interruptFlag(), "the thread's interrupt flag was cleared");
            System.out.println("[CancellationTest] cancel(true) stopped Python in " + stopMillis + " ms");

            // the single worker is free again: the next task runs promptly, with no interrupt left over
            long submittedAt = System.nanoTime();
            Future<long[]> next = exec.submit(() -> Python.attach(py -> new long[] {
                    py.eval("sum(range(100))").toJava(long.class),
                    module.bind(py).getAttr("busy").call(0.3).toJava(long.class),
                    Thread.currentThread().isInterrupted() ? 1 : 0}));
            long[] r = next.get(STOP_MILLIS + 2_000, TimeUnit.MILLISECONDS);
            assertEquals(4950, r[0]);
            assertTrue(r[1] > 0);
            assertEquals(0, r[2]);
            assertTrue(Watchdog.millisSince(submittedAt) < STOP_MILLIS + 1_000);
        }
        long after = Python.attach(py -> py.eval("2 ** 20").toJava(long.class));
        assertEquals(1 << 20, after);
    }

    @Test
    void interruptStopsPythonOnAPlainThread() {
        CountDownLatch attached = new CountDownLatch(1);
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Throwable thrown = null;
            try {
                Python.attach(py -> {
                    attached.countDown();
                    module.bind(py).getAttr("spin").call();
                    return null;
                });
            } catch (Throwable e) {
                thrown = e;
            }
            outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted(), System.nanoTime(), null));
        }, "plain-spinner");
        t.setDaemon(true);
        try (Bystander bystander = new Bystander()) {
            t.start();
            Watchdog.await(attached, 10, "the thread attaching");
            sleepQuietly(50);
            long interruptedAt = System.nanoTime();
            t.interrupt();
            Watchdog.join(t, STOP_MILLIS / 1000.0, "Python to stop after Thread.interrupt()");
            Outcome o = outcome.get();
            assertInstanceOf(PythonInterruptedException.class, o.thrown(), "the thread saw " + o.thrown());
            assertTrue(o.interruptFlag());
            assertTrue((o.endedAt() - interruptedAt) / 1_000_000 < STOP_MILLIS);
        }
    }

    @Test
    void interruptReachesPythonCalledFromAJavaCallback() {
        // Python loop -> Java function -> Python loop: wherever the KeyboardInterrupt fires, the
        // outermost boundary reports the thread's interrupt as PythonInterruptedException.
        CountDownLatch attached = new CountDownLatch(1);
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Throwable thrown = null;
            try {
                Python.attach(py -> {
                    PyCallable inner = py.function("inner", (p, args, kwargs) -> {
                        p.run("for _ in range(200000): pass");
                        return null;
                    });
                    attached.countDown();
                    module.bind(py).getAttr("loop_calling").call(inner);
                    return null;
                });
            } catch (Throwable e) {
                thrown = e;
            }
            outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted(), System.nanoTime(), null));
        }, "callback-spinner");
        t.setDaemon(true);
        t.start();
        Watchdog.await(attached, 10, "the thread attaching");
        sleepQuietly(100);
        t.interrupt();
        Watchdog.join(t, STOP_MILLIS / 1000.0, "Python to stop after Thread.interrupt()");
        Outcome o = outcome.get();
        assertInstanceOf(PyKeyboardInterrupt.class, o.thrown(), "the thread saw " + o.thrown());
        assertInstanceOf(PythonInterruptedException.class, o.thrown(),
                "a Java interrupt must reach Java as PythonInterruptedException, got " + o.thrown());
        assertTrue(o.interruptFlag());
    }

    @Test
    void interruptedVirtualThreadStopsItsBodyOnThePlatformThread() {
        CountDownLatch attached = new CountDownLatch(1);
        AtomicReference<Thread> bodyThread = new AtomicReference<>();
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().name("virtual-spinner").unstarted(() -> {
            Throwable thrown = null;
            try {
                Python.attach(py -> {
                    bodyThread.set(Thread.currentThread());
                    attached.countDown();
                    module.bind(py).getAttr("spin").call();
                    return null;
                });
            } catch (Throwable e) {
                thrown = e;
            }
            outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted(), System.nanoTime(),
                    Thread.currentThread()));
        });
        try (Bystander bystander = new Bystander()) {
            vt.start();
            Watchdog.await(attached, 10, "the body starting");
            assertFalse(bodyThread.get().isVirtual(), "the body ran on a virtual thread");
            sleepQuietly(50);
            long interruptedAt = System.nanoTime();
            vt.interrupt();
            Watchdog.join(vt, STOP_MILLIS / 1000.0, "the virtual thread's Python body to stop");
            Outcome o = outcome.get();
            assertInstanceOf(PythonInterruptedException.class, o.thrown(), "the virtual thread saw " + o.thrown());
            assertTrue(o.interruptFlag(), "the virtual thread's interrupt flag was cleared");
            assertTrue((o.endedAt() - interruptedAt) / 1_000_000 < STOP_MILLIS);
        }
        // the pool thread that ran the body is clean: the many attaches that follow see no interrupt
        for (int i = 0; i < 50; i++) {
            long v = virtualAttach(py -> py.eval("7 * 6").toJava(long.class));
            assertEquals(42, v);
        }
    }

    /**
     * A virtual thread that is already interrupted when it calls {@code Python.attach(body)}: like a
     * platform thread (see the next test), its Python code must be interrupted, not run forever.
     */
    @Test
    void alreadyInterruptedVirtualThreadIsInterruptedInPython() {
        Outcome o = runSpinInInterruptedThread(true, "pre-interrupted-virtual");
        assertInstanceOf(PythonInterruptedException.class, o.thrown(),
                "a virtual thread interrupted before attach(body) ran its Python without interruption: " + o.thrown());
    }

    /** The platform-thread behaviour the previous test compares with. */
    @Test
    void alreadyInterruptedPlatformThreadIsInterruptedInPython() {
        Outcome o = runSpinInInterruptedThread(false, "pre-interrupted-platform");
        assertInstanceOf(PythonInterruptedException.class, o.thrown(), String.valueOf(o.thrown()));
    }

    private Outcome runSpinInInterruptedThread(boolean virtual, String name) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        Runnable task = () -> {
            Throwable thrown = null;
            Thread.currentThread().interrupt();
            try {
                Python.attach(py -> module.bind(py).getAttr("spin").call());
            } catch (Throwable e) {
                thrown = e;
            }
            outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted(), System.nanoTime(), null));
            ended.countDown();
        };
        Thread t = virtual ? Thread.ofVirtual().name(name).start(task)
                : Thread.ofPlatform().daemon().name(name).start(task);
        boolean stopped;
        try {
            stopped = ended.await(STOP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (!stopped) {
            stopSpin();
            Watchdog.join(t, 10, "spin() after the escape hatch");
            return new Outcome(new AssertionError("Python ran on for " + STOP_MILLIS + " ms (ended only when told to;"
                    + " outcome: " + outcome.get() + ")"), false, 0, t);
        }
        assertTrue(outcome.get().interruptFlag());
        return outcome.get();
    }

    /**
     * An interrupt that arrives while a virtual thread's body is still queued for a platform thread
     * (every carrier is busy, and there are as many as the cap allows) must still stop that body's
     * Python code once it runs.
     */
    @Test
    void interruptWhileTheVirtualThreadsBodyIsQueuedIsNotLost() throws Exception {
        // more than the carriers can ever be: blocked bodies make the set grow, up to its cap
        int blockers = VirtualThreads.maxCarriers() + 8;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(blockers);
        List<Thread> blockerThreads = new ArrayList<>();
        for (int i = 0; i < blockers; i++) {
            blockerThreads.add(Thread.ofVirtual().start(() -> Python.attach(py -> py.detach(() -> {
                blocking.countDown();
                try {
                    return release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }))));
        }
        try {
            // wait until the pool is saturated (some blockers are running and the rest are queued)
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (blocking.getCount() == blockers && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            sleepQuietly(100);
            // ... and the set has grown to its cap, with the rest of the blockers still queued
            while ((VirtualThreads.stats().alive() < VirtualThreads.maxCarriers()
                    || VirtualThreads.stats().waiting() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(VirtualThreads.stats().waiting() > 0, "no blocker body is queued: " + VirtualThreads.stats());
            AtomicReference<Outcome> outcome = new AtomicReference<>();
            CountDownLatch ended = new CountDownLatch(1);
            Thread victim = Thread.ofVirtual().name("queued-victim").start(() -> {
                Throwable thrown = null;
                try {
                    Python.attach(py -> module.bind(py).getAttr("spin").call());
                } catch (Throwable e) {
                    thrown = e;
                }
                outcome.set(new Outcome(thrown, Thread.currentThread().isInterrupted(), System.nanoTime(), null));
                ended.countDown();
            });
            // the victim parks waiting for its queued body
            deadline = System.nanoTime() + 10_000_000_000L;
            while (victim.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            victim.interrupt();
            sleepQuietly(50);
            release.countDown();
            boolean stopped = ended.await(STOP_MILLIS + 1_000, TimeUnit.MILLISECONDS);
            if (!stopped) {
                stopSpin();
                Watchdog.await(ended, 10, "spin() after the escape hatch");
            }
            assertTrue(stopped, "the interrupt of a virtual thread whose body was queued was lost: its Python loop ran "
                    + "until told to stop (outcome " + outcome.get() + ")");
            assertInstanceOf(PythonInterruptedException.class, outcome.get().thrown());
        } finally {
            release.countDown();
            for (Thread b : blockerThreads) {
                Watchdog.join(b, 10, "blocker");
            }
        }
    }

    @Test
    void swallowedInterruptLeavesNothingPendingForLaterScopes() {
        ExecutorService exec = singleThread("swallow-worker");
        CountDownLatch attached = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        Future<String> swallowed = exec.submit(() -> Python.attach(py -> {
            worker.set(Thread.currentThread());
            attached.countDown();
            return module.bind(py).getAttr("swallow").call().toJava(String.class);
        }));
        Watchdog.await(attached, 10, "attach");
        sleepQuietly(50);
        // interrupt the worker without cancelling the task, so its result stays readable
        worker.get().interrupt();
        String s = getWithin(swallowed, STOP_MILLIS);
        assertEquals("swallowed", s);
        // same thread, a new task (the executor cleared the interrupt flag): Python runs for a while
        // and no KeyboardInterrupt left over from the swallowed one fires; a KeyboardInterrupt that
        // Python raises itself is not mistaken for a Java interrupt
        Future<Object[]> later = exec.submit(() -> Python.attach(py -> {
            long n = module.bind(py).getAttr("busy").call(0.3).toJava(long.class);
            Throwable own = null;
            try {
                py.run("raise KeyboardInterrupt('from Python')");
            } catch (Throwable e) {
                own = e;
            }
            return new Object[] {n, own, Thread.currentThread().isInterrupted()};
        }));
        Object[] r = getWithin(later, STOP_MILLIS + 1_000);
        assertTrue((long) r[0] > 0);
        assertInstanceOf(PyKeyboardInterrupt.class, r[1]);
        assertFalse(r[1] instanceof PythonInterruptedException, "Python's own KeyboardInterrupt was reported as a "
                + "Java interrupt");
        assertEquals(false, r[2]);
    }

    /**
     * A dropped object released on an interrupted thread: its {@code __del__} runs to the end (the
     * interrupt is not spent there, printed as "Exception ignored" and lost), and the interrupt then
     * stops the thread's own Python code.
     */
    @Test
    void interruptIsNotSpentInAReleasedObjectsDel() {
        ExecutorService exec = singleThread("release-worker");
        Future<Object[]> f = exec.submit(() -> Python.attach(py -> {
            Py<PyObject> slow;
            try (PyObject made = module.bind(py).getAttr("SlowDel").call()) {
                slow = made.unbind();
            }
            Thread.currentThread().interrupt();
            slow.close(); // attached: released now, on this interrupted thread; __del__ busy for 0.3 s
            long finished = module.bind(py).getAttr("SlowDel").getAttr("finished").getItem(0).toJava(long.class);
            Throwable thrown = null;
            try {
                module.bind(py).getAttr("spin").call();
            } catch (Throwable e) {
                thrown = e;
            }
            return new Object[] {finished, thrown};
        }));
        Object[] r;
        try {
            r = getWithin(f, STOP_MILLIS + 2_000);
        } finally {
            stopSpin();
        }
        assertEquals(1L, r[0], "__del__ did not run to its end");
        assertInstanceOf(PythonInterruptedException.class, r[1], "the interrupt did not reach the thread's own code");
    }

    /** Interrupts arriving at random moments (in Python, in Java, between scopes) never leak into a later scope. */
    @Test
    void randomInterruptsNeverLeakIntoALaterScope() {
        AtomicBoolean stopFuzz = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicLong interruptedRounds = new AtomicLong();
        AtomicLong rounds = new AtomicLong();
        CountDownLatch fuzzed = new CountDownLatch(1);
        AtomicReference<Object> after = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            java.util.Random random = new java.util.Random(7);
            while (!stopFuzz.get()) {
                // short rounds and rounds longer than the 5 ms switch interval, where the interrupt lands in Python
                long k = random.nextBoolean() ? 1000 + random.nextInt(10_000) : 300_000 + random.nextInt(300_000);
                boolean detach = random.nextBoolean();
                try {
                    long r = Python.attach(py -> {
                        long v = module.bind(py).getAttr("count").call(k).toJava(long.class);
                        if (detach) {
                            v += py.detach(() -> 0L);
                            v += py.eval("0").toJava(long.class);
                        }
                        return v;
                    });
                    if (r != k * (k - 1) / 2) {
                        wrong.add(new AssertionError("got " + r));
                    }
                } catch (PythonInterruptedException e) {
                    interruptedRounds.incrementAndGet();
                } catch (Throwable e) {
                    wrong.add(e);
                }
                rounds.incrementAndGet();
                Thread.interrupted();
            }
            Thread.interrupted();
            fuzzed.countDown();
            try {
                // nothing is interrupted any more: a good stretch of Python must run undisturbed
                after.set(Python.attach(py -> module.bind(py).getAttr("busy").call(0.3).toJava(long.class)));
            } catch (Throwable e) {
                after.set(e);
            }
        }, "fuzz-worker");
        worker.setDaemon(true);
        worker.start();
        long end = System.nanoTime() + 1_000_000_000L;
        long i = 0;
        while (System.nanoTime() < end) {
            worker.interrupt();
            if (i++ % 3 == 0) {
                Thread.onSpinWait();
            } else {
                sleepQuietly(1);
            }
        }
        stopFuzz.set(true);
        Watchdog.await(fuzzed, 10, "the fuzz loop to end");
        Watchdog.join(worker, 10, "the undisturbed stretch");
        System.out.println("[CancellationTest] fuzz: " + rounds.get() + " rounds, " + interruptedRounds.get()
                + " interrupted in Python");
        assertTrue(wrong.isEmpty(), "wrong outcome: " + wrong.peek());
        assertTrue(interruptedRounds.get() > 0, "no interrupt reached Python: the fuzz tested nothing");
        assertInstanceOf(Long.class, after.get(), "a leftover KeyboardInterrupt fired in a later scope: " + after.get());
    }

    @Test
    void interpreterStaysUsableAfterManyCancellations() throws Exception {
        ExecutorService exec = singleThread("cancel-many");
        for (int i = 0; i < 5; i++) {
            CountDownLatch attached = new CountDownLatch(1);
            Future<?> f = exec.submit(() -> Python.attach(py -> {
                attached.countDown();
                py.run("while True: pass");
                return null;
            }));
            Watchdog.await(attached, 10, "attach " + i);
            f.cancel(true);
        }
        long r = exec.submit(() -> Python.attach(py -> py.eval("sum(range(10))").toJava(long.class)))
                .get(STOP_MILLIS + 2_000, TimeUnit.MILLISECONDS);
        assertEquals(45, r);
    }

    // --- helpers ---

    private static <T> T getWithin(Future<T> f, long millis) {
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + millis + " ms\n" + Watchdog.threadDump());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T virtualAttach(java.util.function.Function<Python, T> body) {
        AtomicReference<Object> r = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                r.set(Python.attach(body));
            } catch (Throwable e) {
                r.set(e);
            }
        });
        Watchdog.join(vt, 10, "virtual attach");
        if (r.get() instanceof Throwable e) {
            throw new AssertionError(e);
        }
        @SuppressWarnings("unchecked")
        T t = (T) r.get();
        return t;
    }

    private static void stopSpin() {
        Python.attach(py -> {
            module.bind(py).getAttr("stop").setItem(0, true);
            return null;
        });
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
