package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Python work from virtual threads (issue 17, "Virtual threads that scale"). One operation is a
 * batch of tasks, each a {@code Python.attach(py -> ...)} started at once and waited for:
 *
 * <ul>
 *   <li>{@code sleep1000_*}: 1,000 tasks that each call {@code time.sleep(0.05)} in Python (blocking
 *       I/O: the GIL is released meanwhile). From virtual threads (one per task), against the
 *       reference of a 64-thread platform pool. Ideal: 50 ms with 1,000 threads; 0.8 s with 64.</li>
 *   <li>{@code sleep1000_virtualCold}: the same, but every carrier has retired before each batch
 *       (keep-alive 100 ms, a 400 ms pause), so the set grows from nothing each time.</li>
 *   <li>{@code cpu200_*}: 200 tasks of CPU-bound pure Python (about 1 ms each, {@link #WORK} loop
 *       iterations): from virtual threads, and on an 8-thread platform pool, the size of the fixed
 *       pool virtual threads' bodies ran on before the carriers became elastic.</li>
 * </ul>
 * Time per batch, in milliseconds.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class VirtualThreadBench {

    static final int SLEEPERS = 1000;
    static final double NAP = 0.05;
    static final int CPU_TASKS = 200;
    static final int WORK = 20_000;

    static final String CODE = String.join("\n",
            "import time",
            "def nap(s):",
            "    time.sleep(s)",
            "    return 1",
            "def work(n):",
            "    s = 0",
            "    for i in range(n):",
            "        s += i * i",
            "    return s",
            "");

    @State(Scope.Benchmark)
    public static class Tasks {
        Py<PyObject> nap;
        Py<PyObject> work;
        long expected;
        ExecutorService virtual;
        ExecutorService platform64;
        ExecutorService platform8;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            Python.attach(py -> {
                PyModule m = PyModule.fromCode(py, CODE, "vtbench.py", "vtbench");
                nap = m.getAttr("nap").unbind();
                work = m.getAttr("work").unbind();
                expected = m.getAttr("work").call(WORK).toJava(long.class);
                return null;
            });
            virtual = Executors.newVirtualThreadPerTaskExecutor();
            platform64 = pool(64);
            platform8 = pool(8);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            virtual.shutdown();
            platform64.shutdown();
            platform8.shutdown();
            nap.close();
            work.close();
        }

        private static ExecutorService pool(int n) {
            return Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(null, r, "bench-platform", 8L << 20);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** For the cold benchmark: waits until every carrier has retired (keep-alive 100 ms). */
    @State(Scope.Benchmark)
    public static class Cold {
        @Setup(Level.Iteration)
        public void pause() throws InterruptedException {
            Thread.sleep(400);
        }
    }

    static long sleepers(ExecutorService ex, Tasks t) throws Exception {
        List<Future<Long>> done = new ArrayList<>(SLEEPERS);
        for (int i = 0; i < SLEEPERS; i++) {
            done.add(ex.submit(() -> Python.attach(py -> t.nap.bind(py).call(NAP).toJava(long.class))));
        }
        long sum = 0;
        for (Future<Long> f : done) {
            sum += f.get();
        }
        if (sum != SLEEPERS) {
            throw new IllegalStateException("sum " + sum);
        }
        return sum;
    }

    static long cpu(ExecutorService ex, Tasks t) throws Exception {
        List<Future<Long>> done = new ArrayList<>(CPU_TASKS);
        for (int i = 0; i < CPU_TASKS; i++) {
            done.add(ex.submit(() -> Python.attach(py -> t.work.bind(py).call(WORK).toJava(long.class))));
        }
        long sum = 0;
        for (Future<Long> f : done) {
            long r = f.get();
            if (r != t.expected) {
                throw new IllegalStateException("work(" + WORK + ") = " + r);
            }
            sum += r;
        }
        return sum;
    }

    @Benchmark
    public long sleep1000_virtual(Tasks t) throws Exception {
        return sleepers(t.virtual, t);
    }

    @Benchmark
    @Fork(jvmArgsAppend = "-Dpyjama.virtualThreads.keepAliveMillis=100")
    public long sleep1000_virtualCold(Tasks t, Cold c) throws Exception {
        return sleepers(t.virtual, t);
    }

    @Benchmark
    public long sleep1000_platform64(Tasks t) throws Exception {
        return sleepers(t.platform64, t);
    }

    @Benchmark
    public long cpu200_virtual(Tasks t) throws Exception {
        return cpu(t.virtual, t);
    }

    @Benchmark
    public long cpu200_platform8(Tasks t) throws Exception {
        return cpu(t.platform8, t);
    }
}
