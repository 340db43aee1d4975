package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scaling of {@link ScalingBench} measured so that other work on a shared machine does not
 * decide it: 1-thread and 2-thread runs of the same operation alternate, a fraction of a second
 * each, and besides the wall clock each thread reads the kernel's per-thread scheduler statistics
 * ({@code /proc/thread-self/schedstat}: time on a core, time runnable but waiting for one). Per
 * operation it prints the median and best throughput ratio of the pairs, the CPU time an operation
 * took with one and with two threads (contention shows as more CPU per operation), the share of
 * the 2-thread runs in which the threads were blocked (neither on a core nor waiting for one: a
 * GIL, a lock), and the share they spent waiting for a core (the machine's other work). The same
 * loop and calls run as Python threads inside the same interpreter, for comparison.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -Dpyjama.python=<python> -cp
 * bench/target/benchmarks.jar dev.pyjama.bench.ScalingProbe [pairs]}
 */
public final class ScalingProbe {

    static final String CODE = String.join("\n",
            "def f(x):",
            "    return x + 1",
            "def work(n):",
            "    s = 0",
            "    for i in range(n):",
            "        s += i * i",
            "    return s",
            "");

    /** The same operations as Python threads, each reading its own schedstat. */
    static final String PYTHON_THREADS = String.join("\n",
            "import threading, time",
            "def _sched():",
            "    with open('/proc/thread-self/schedstat') as fh:",
            "        a = fh.read().split()",
            "    return int(a[0]), int(a[1])",
            "def run(kind, threads, ops, code):",
            "    out = []",
            "    start = threading.Event()",
            "    def body():",
            "        d = {}",
            "        exec(code, d)",
            "        f, work = d['f'], d['work']",
            "        start.wait()",
            "        w0 = time.perf_counter_ns(); s0 = _sched()",
            "        if kind == 'loop':",
            "            for _ in range(ops):",
            "                work(20000)",
            "        else:",
            "            for _ in range(ops):",
            "                f(1000000)",
            "        s1 = _sched()",
            "        out.append((time.perf_counter_ns() - w0, s1[0] - s0[0], s1[1] - s0[1]))",
            "    ts = [threading.Thread(target=body) for _ in range(threads)]",
            "    for t in ts:",
            "        t.start()",
            "    time.sleep(0.05)",
            "    t0 = time.perf_counter_ns()",
            "    start.set()",
            "    for t in ts:",
            "        t.join()",
            "    wall = time.perf_counter_ns() - t0",
            "    return [wall, sum(o[0] for o in out), sum(o[1] for o in out), sum(o[2] for o in out)]",
            "");

    private ScalingProbe() {}

    /** One run: wall time of the whole run, and summed over its threads: their wall, ran and waited ns. */
    record Run(long ops, long wall, long threadWall, long ran, long waited) {}

    interface Op {
        void run(PerThread t);
    }

    /** A thread's own module and, for the held variant, its open scope. */
    static final class PerThread {
        Py<PyObject> f;
        Py<PyObject> work;
        Py<PyObject> shared;
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        System.out.println(Python.info());
        Py<PyObject> shared = Python.attach(py -> PyModule.fromCode(py, CODE, "shared.py", "scaling_shared")
                .getAttr("f").unbind());
        Py<PyObject> pyThreads = Python.attach(py -> PyModule.fromCode(py, PYTHON_THREADS, "pythreads.py",
                "scaling_pythreads").getAttr("run").unbind());
        record Case(String name, long ops, Op op) {}
        List<Case> cases = List.of(
                new Case("loop: attach + work(20000) + release", 150, t -> {
                    try (Python py = Python.attach()) {
                        t.work.bind(py).call(20000).toJava(long.class);
                    }
                }),
                new Case("f(x): attach + call + release, own module", 300_000, t -> {
                    try (Python py = Python.attach()) {
                        t.f.bind(py).call(1_000_000L).toJava(long.class);
                    }
                }),
                new Case("f(x): attach + call + release, shared function", 300_000, t -> {
                    try (Python py = Python.attach()) {
                        t.shared.bind(py).call(1_000_000L).toJava(long.class);
                    }
                }));
        for (Case c : cases) {
            report(c.name(), pairs, threads -> run(threads, c.ops(), c.op(), shared));
        }
        report("Python threads: work(20000)", pairs, threads -> python(pyThreads, "loop", threads, 150));
        report("Python threads: f(x)", pairs, threads -> python(pyThreads, "call", threads, 1_000_000));
    }

    interface Runner {
        Run run(int threads) throws Exception;
    }

    static void report(String name, int pairs, Runner runner) throws Exception {
        runner.run(1); // warm up
        runner.run(2);
        double[] ratios = new double[pairs];
        List<Run> ones = new ArrayList<>();
        List<Run> twos = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Run one = runner.run(1);
            Run two = runner.run(2);
            ones.add(one);
            twos.add(two);
            ratios[i] = ((double) two.ops() / two.wall()) / ((double) one.ops() / one.wall());
        }
        Arrays.sort(ratios);
        double cpu1 = cpuPerOp(ones);
        double cpu2 = cpuPerOp(twos);
        System.out.printf(Locale.ROOT, "%-50s 2 threads / 1: median %.2fx, best %.2fx; CPU per op %s ns with 1 thread,"
                + " %s ns with 2 (%.2fx); 2 threads blocked %.0f%%, waiting for a core %.0f%% (1 thread: %.0f%%)%n",
                name, ratios[pairs / 2], ratios[pairs - 1], fmt(cpu1), fmt(cpu2), cpu2 / cpu1,
                100 * share(twos, false), 100 * share(twos, true), 100 * share(ones, true));
    }

    static String fmt(double ns) {
        return ns >= 10_000 ? String.format(Locale.ROOT, "%,.0f", ns) : String.format(Locale.ROOT, "%.0f", ns);
    }

    static double cpuPerOp(List<Run> runs) {
        long ran = 0;
        long ops = 0;
        for (Run r : runs) {
            ran += r.ran();
            ops += r.ops();
        }
        return (double) ran / ops;
    }

    /** The share of the threads' wall time spent waiting for a core ({@code waiting}) or blocked. */
    static double share(List<Run> runs, boolean waiting) {
        long wall = 0;
        long ran = 0;
        long waited = 0;
        for (Run r : runs) {
            wall += r.threadWall();
            ran += r.ran();
            waited += r.waited();
        }
        return waiting ? (double) waited / wall : Math.max(0, 1.0 - (double) (ran + waited) / wall);
    }

    static Run run(int threads, long ops, Op op, Py<PyObject> shared) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicLong threadWall = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        AtomicLong waited = new AtomicLong();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    PerThread t = new PerThread();
                    Python.attach(py -> {
                        PyModule m = PyModule.fromCode(py, CODE, "own.py", "scaling_" + Thread.currentThread().threadId());
                        t.f = m.getAttr("f").unbind();
                        t.work = m.getAttr("work").unbind();
                        return null;
                    });
                    t.shared = shared;
                    ready.countDown();
                    start.await();
                    long w0 = System.nanoTime();
                    long[] s0 = schedstat();
                    for (long k = 0; k < ops; k++) {
                        op.run(t);
                    }
                    long[] s1 = schedstat();
                    threadWall.addAndGet(System.nanoTime() - w0);
                    ran.addAndGet(s1[0] - s0[0]);
                    waited.addAndGet(s1[1] - s0[1]);
                    t.f.close();
                    t.work.close();
                } catch (Throwable e) {
                    errors.add(e);
                    ready.countDown();
                } finally {
                    done.countDown();
                }
            });
        }
        ready.await();
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        long wall = System.nanoTime() - t0;
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.get(0));
        }
        return new Run(threads * ops, wall, threadWall.get(), ran.get(), waited.get());
    }

    static Run python(Py<PyObject> run, String kind, int threads, long ops) {
        long[] r = Python.attach(py -> run.bind(py).call(kind, threads, ops, CODE).toJava(long[].class));
        return new Run(threads * ops, r[0], r[1], r[2], r[3]);
    }

    static long[] schedstat() throws IOException {
        String[] f = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split("\\s+");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }
}
