package dev.pyjama.threads;

import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.PyObject;
import dev.pyjama.PyOnceCell;
import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Main class of this package's forked-JVM tests (one CPython per process, and a crash must fail a
 * test rather than the whole run). The first argument names the scenario; output is
 * {@code key=value} lines; any exception prints {@code exception=<class>} and exits with 3.
 */
public final class ThreadsProbeMain {

    private ThreadsProbeMain() {}

    /** Runs {@code f} (a Java function) on a thread that Python starts, and returns (results, alive). */
    private static final String ON_PYTHON_THREAD = String.join("\n",
            "import threading",
            "def run(f, n=1):",
            "    box = []",
            "    ts = [threading.Thread(target=lambda: box.append(f())) for _ in range(n)]",
            "    for t in ts:",
            "        t.start()",
            "    for t in ts:",
            "        t.join(20)",
            "    return (sorted(box), [t.is_alive() for t in ts])",
            "");

    public static void main(String[] args) {
        try {
            switch (args[0]) {
                case "python-thread-detach" -> onPythonThread((p, a, k) -> p.detach(() -> 42L), 1);
                case "python-thread-detach-attach" -> onPythonThread((p, a, k) ->
                        p.detach(() -> Python.attach(p2 -> p2.eval("6 * 7").toJava(long.class))), 1);
                case "python-thread-once-cell" -> pythonThreadsOnceCell();
                case "scaling" -> Scaling.run(args);
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
            System.out.println("done=true");
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("exception=" + t.getClass().getName());
            System.out.println("message:");
            System.out.println(t.getMessage());
            System.out.flush();
            t.printStackTrace();
            System.exit(3);
        }
    }

    private static void onPythonThread(dev.pyjama.JavaCallable body, int threads) {
        String r = Python.attach(py -> {
            PyDict ns = py.dict();
            py.run(ON_PYTHON_THREAD, ns, null);
            PyCallable f = py.function("f", body);
            return ns.getItem("run").call(f, threads).repr();
        });
        System.out.println("result=" + r);
    }

    /**
     * Four Python threads ask one {@link PyOnceCell} for its value at once through a Java function;
     * the initialiser releases the GIL, so the others wait (with the GIL released) meanwhile.
     */
    private static void pythonThreadsOnceCell() {
        PyOnceCell<Long> cell = new PyOnceCell<>();
        onPythonThread((p, a, k) -> {
            // the first thread's initialiser detaches for 100 ms; the other three ask meanwhile
            return cell.get(p, q -> q.detach(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 42L;
            }));
        }, 4);
    }

    /**
     * N Java threads each run a CPU-bound Python function {@code calls} times; prints, for N = 1
     * and N = 2, the wall time and what the threads did meanwhile, and whether the build is
     * free-threaded.
     *
     * <p>The wall-clock speedup depends on how much of the machine's cores the run gets, which a
     * shared machine does not promise. What it does not change is how the threads spent their
     * time, read from the kernel's per-thread scheduler statistics ({@code schedstat}: time on a
     * core, time runnable but waiting for one): {@code blocked2} is the share of the 2-thread run's
     * wall time that the threads were neither (waiting for the GIL, a lock, a stop-the-world pause),
     * and {@code cpuGrowth} how much more CPU a call took with two threads than with one (contended
     * reference counts and caches). Two free cores would give about {@code 2 * (1 - blocked2) /
     * cpuGrowth} the throughput of one. -1 where the kernel keeps no schedstat.
     */
    static final class Scaling {

        /** One timed run: its wall time, and the threads' time on a core and waiting for one (-1 if unknown). */
        record Run(long wall, long ran, long waited, long threadWall) {
            double blocked() {
                return ran < 0 ? -1 : Math.max(0, 1.0 - (double) (ran + waited) / threadWall);
            }

            /** How many cores the threads used at once on average: their time on a core over the wall time. */
            double coresInUse() {
                return ran < 0 ? -1 : (double) ran / wall;
            }
        }

        static void run(String[] args) throws Exception {
            int calls = Integer.parseInt(args[1]);
            int work = Integer.parseInt(args[2]);
            var info = Python.info();
            System.out.println("freeThreaded=" + info.freeThreaded());
            System.out.println("gilEnabled=" + info.gilEnabled());
            dev.pyjama.Py<PyObject> f = Python.attach(py -> dev.pyjama.PyModule.fromCode(py, String.join("\n",
                    "def work(n):",
                    "    s = 0",
                    "    for i in range(n):",
                    "        s += i * i % 7",
                    "    return s",
                    ""), "scaling.py", "pyjama_scaling").getAttr("work").unbind());
            long expected = Python.attach(py -> f.bind(py).call(work).toJava(long.class));
            timed(f, 1, calls / 2, work, expected); // warm up
            timed(f, 2, calls / 2, work, expected);
            // best of three each, interleaved, so that load from elsewhere on the machine does not decide
            long one = Long.MAX_VALUE;
            long two = Long.MAX_VALUE;
            double cpu1 = Double.MAX_VALUE;
            double cpu2 = Double.MAX_VALUE;
            double blocked1 = Double.MAX_VALUE;
            double blocked2 = Double.MAX_VALUE;
            double cores2 = 0;
            for (int rep = 0; rep < 3; rep++) {
                Run r1 = timed(f, 1, calls, work, expected);
                Run r2 = timed(f, 2, calls, work, expected);
                one = Math.min(one, r1.wall());
                two = Math.min(two, r2.wall());
                cpu1 = Math.min(cpu1, (double) r1.ran() / calls);
                cpu2 = Math.min(cpu2, (double) r2.ran() / (2 * calls));
                blocked1 = Math.min(blocked1, r1.blocked());
                blocked2 = Math.min(blocked2, r2.blocked());
                cores2 = Math.max(cores2, r2.coresInUse());
            }
            System.out.println("nanos1=" + one);
            System.out.println("nanos2=" + two);
            // throughput ratio: 2 threads did twice the calls
            System.out.println("speedup=" + (2.0 * one / two));
            System.out.println("blocked1=" + blocked1);
            System.out.println("blocked2=" + blocked2);
            System.out.println("cores2=" + (cores2 < 0 ? -1 : cores2));
            System.out.println("cpuPerCall1=" + (cpu1 < 0 ? -1 : (long) cpu1));
            System.out.println("cpuPerCall2=" + (cpu2 < 0 ? -1 : (long) cpu2));
            System.out.println("cpuGrowth=" + (cpu1 <= 0 ? -1 : cpu2 / cpu1));
        }

        /** This thread's {ns on a core, ns waiting for one} from /proc/thread-self/schedstat, or null. */
        static long[] schedstat() {
            try {
                String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat"))
                        .trim().split("\\s+");
                return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
            } catch (java.io.IOException | RuntimeException e) {
                return null;
            }
        }

        private static Run timed(dev.pyjama.Py<PyObject> f, int threads, int calls, int work, long expected)
                throws InterruptedException {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(threads);
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong waited = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong threadWall = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean unknown = new java.util.concurrent.atomic.AtomicBoolean();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        long w0 = System.nanoTime();
                        long[] s0 = schedstat();
                        for (int i = 0; i < calls; i++) {
                            long r = Python.attach(py -> f.bind(py).call(work).toJava(long.class));
                            if (r != expected) {
                                throw new AssertionError("work(" + work + ") = " + r + ", expected " + expected);
                            }
                        }
                        long[] s1 = schedstat();
                        threadWall.addAndGet(System.nanoTime() - w0);
                        if (s0 == null || s1 == null) {
                            unknown.set(true);
                        } else {
                            ran.addAndGet(s1[0] - s0[0]);
                            waited.addAndGet(s1[1] - s0[1]);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                });
                th.setDaemon(true);
                th.start();
            }
            long t0 = System.nanoTime();
            start.countDown();
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("scaling run did not finish");
            }
            long elapsed = System.nanoTime() - t0;
            if (!errors.isEmpty()) {
                throw new IllegalStateException("scaling run failed", errors.get(0));
            }
            return unknown.get() ? new Run(elapsed, -1, -1, threadWall.get())
                    : new Run(elapsed, ran.get(), waited.get(), threadWall.get());
        }
    }
}
