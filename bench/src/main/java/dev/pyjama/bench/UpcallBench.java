package dev.pyjama.bench;

import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 1,000 calls of a Java function from a Python loop (benchmark 7):
 * {@code for i in range(1000): fn(i)}, with {@code fn} a {@code py.function("jf", (PyObject x) -> x)}
 * (a one-argument Java function returning its argument), against the same loop calling the Python
 * function {@code def ident(x): return x}. The loop's result (None) is closed in the method.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UpcallBench {

    @State(Scope.Thread)
    public static class Pyjama {
        Python py;
        PyObject loop;
        PyCallable javaFn;
        PyObject pythonFn;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            loop = py.eval("loop");
            javaFn = py.function("jf", (PyObject x) -> x);
            pythonFn = py.eval("ident");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    @Benchmark
    public boolean loop1000_javaFunction_pyjama(Pyjama s) {
        try (PyObject r = s.loop.call(s.javaFn)) {
            return r.isNone();
        }
    }

    /** The reference: the same loop calling a Python function. */
    @Benchmark
    public boolean loop1000_pythonFunction(Pyjama s) {
        try (PyObject r = s.loop.call(s.pythonFn)) {
            return r.isNone();
        }
    }
}
