package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * asyncio from Java (issue 20). One operation is a batch of {@link #N} coroutines
 * {@code await asyncio.sleep(0.01)}, all started at once and all awaited:
 *
 * <ul>
 *   <li>{@code gather10000_java}: started from Java, one {@code nap().toFuture(Long.class)} each
 *       (on pyjama's loop thread), then {@code CompletableFuture.allOf(...).join()}.</li>
 *   <li>{@code gather10000_python}: the reference, Python's own {@code asyncio.gather} of the same
 *       coroutines, run to completion on an event loop of the benchmark thread
 *       ({@code loop.run_until_complete}, the loop made once).</li>
 * </ul>
 * Time per batch, in milliseconds; the floor of both is the 10 ms sleep.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
public class AsyncBench {

    static final int N = 10_000;

    static final String CODE = String.join("\n",
            "import asyncio",
            "async def nap(i):",
            "    await asyncio.sleep(0.01)",
            "    return i",
            "async def gather_all(n):",
            "    return sum(await asyncio.gather(*[nap(i) for i in range(n)]))",
            "loop = asyncio.new_event_loop()",
            "def python_gather(n):",
            "    return loop.run_until_complete(gather_all(n))",
            "");

    @State(Scope.Benchmark)
    public static class Coroutines {
        Py<PyObject> nap;
        Py<PyObject> pythonGather;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            Python.attach(py -> {
                PyModule m = PyModule.fromCode(py, CODE, "asyncbench.py", "asyncbench");
                nap = m.getAttr("nap").unbind();
                pythonGather = m.getAttr("python_gather").unbind();
                return null;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            nap.close();
            pythonGather.close();
        }
    }

    private static final long EXPECTED = (long) N * (N - 1) / 2;

    @Benchmark
    public long gather10000_java(Coroutines c) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] futures = new CompletableFuture[N];
        Python.attach(py -> {
            PyObject nap = c.nap.bind(py);
            for (int i = 0; i < N; i++) {
                futures[i] = nap.call(i).toFuture(Long.class);
            }
            return null;
        });
        CompletableFuture.allOf(futures).join();
        long sum = 0;
        for (CompletableFuture<Long> f : futures) {
            sum += f.join();
        }
        return check(sum);
    }

    @Benchmark
    public long gather10000_python(Coroutines c) {
        return check(Python.attach(py -> c.pythonGather.bind(py).call(N).toJava(long.class)));
    }

    private static long check(long sum) {
        if (sum != EXPECTED) {
            throw new IllegalStateException("sum " + sum);
        }
        return sum;
    }
}
