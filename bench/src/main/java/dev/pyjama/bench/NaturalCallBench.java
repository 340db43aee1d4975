package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Calls written the natural way (issue 21), per call, against the raw FFM floor in the same run:
 *
 * <ul>
 *   <li>{@code nested}: {@code x += f.call(i).toJava(Long.class)} inside a nested
 *       {@code Python.attach(p -> ...)} block of 1,000 calls, results left to the block's scope (the
 *       README's cost model: a nested scope per batch);</li>
 *   <li>{@code closed}: the same block, each result closed by try-with-resources and read with
 *       {@code toJava(long.class)} (the form the other benchmarks use);</li>
 *   <li>{@code callAs}: the same block with {@code f.callAs(long.class, i)}, no handle at all;</li>
 *   <li>{@code attachPerCall}: one {@code Python.attach(p -> ...)} per call on a thread that keeps
 *       its thread state, against a raw {@code PyGILState_Ensure} / {@code Release} per call.</li>
 * </ul>
 *
 * The raw floor of the first three is {@code PyLong_FromLongLong} + {@code PyObject_Vectorcall} +
 * {@code PyLong_AsLongLong} + two {@code Py_DecRef} with the GIL held. Arguments start at 1,000,000,
 * outside the small-int cache, so both sides allocate an int for the argument and the result.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NaturalCallBench {

    static final int BATCH = 1000;
    static final long X = 1_000_000L;
    static final long OFFSET = Long.MIN_VALUE; // PY_VECTORCALL_ARGUMENTS_OFFSET

    /** An outer attach scope held for the trial, as an application's outer block; f from it. */
    @State(Scope.Thread)
    public static class Pyjama {
        Python py;
        PyObject f;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            f = py.eval("f");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    /**
     * As {@link Pyjama}, after the shared code paths have seen what an application sends through
     * them (other conversions, argument types, call shapes and attach bodies): a JMH fork that only
     * ever runs one call shape lets the JIT specialise every shared method for it, which a real
     * program does not.
     */
    @State(Scope.Thread)
    public static class Polluted extends Pyjama {
        @Override
        @Setup(Level.Trial)
        public void setup() {
            super.setup();
            PyObject text = py.eval("'abc'");
            PyObject list = py.eval("[1, 2.5, 'x']");
            PyObject real = py.eval("2.5");
            PyObject g = py.eval("g");
            PyObject ident = py.eval("ident");
            PyObject obj = py.eval("obj");
            PyObject max = py.eval("max");
            for (int i = 0; i < 30_000; i++) {
                int k = i;
                Python.attach(p -> {
                    text.toJava(String.class);
                    list.toJava(java.util.List.class);
                    list.toJava(Object.class);
                    real.toJava(Double.class);
                    real.toJava(double.class);
                    f.call(k).toJava(Integer.class);
                    f.call((long) k).toJava(long.class);
                    ident.call("s" + (k & 7)).toJava(String.class);
                    ident.call(1.5).toJava(Double.class);
                    max.call(k, k + 1).close();
                    g.call().isNone();
                    obj.callMethod("method", k).toJava(Long.class);
                    return null;
                });
                Python.attach(p -> p.eval("1").toJava(long.class));
                Python.attach(p -> text.toJava(Object.class));
            }
        }
    }

    /** A thread that keeps its thread state but is not attached between calls. */
    @State(Scope.Thread)
    public static class Detached {
        Py<PyObject> f;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            f = Python.attach(py -> py.eval("f").unbind());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            f.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        int gil;
        MemorySegment f;
        MemorySegment argv;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            gil = LibPython.PyGILState_Ensure();
            f = Fixture.rawMainGlobal("f");
            argv = Arena.global().allocate(ValueLayout.ADDRESS, 2).asSlice(ValueLayout.ADDRESS.byteSize());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.Py_DecRef(f);
            LibPython.PyGILState_Release(gil);
        }

        long call(long x) {
            MemorySegment arg = LibPython.PyLong_FromLongLong(x);
            if (arg.address() == 0) {
                throw Fixture.fail();
            }
            argv.setAtIndex(ValueLayout.ADDRESS, 0, arg);
            MemorySegment r = LibPython.PyObject_Vectorcall(f, argv, 1 | OFFSET, MemorySegment.NULL);
            LibPython.Py_DecRef(arg);
            if (r.address() == 0) {
                throw Fixture.fail();
            }
            long v = LibPython.PyLong_AsLongLong(r);
            LibPython.Py_DecRef(r);
            if (v == -1 && Fixture.errorSet()) {
                throw Fixture.fail();
            }
            return v;
        }
    }

    /** The raw floor of attachPerCall: the GIL dropped between calls, the thread state kept. */
    @State(Scope.Thread)
    public static class RawDetached {
        int kept;
        MemorySegment saved;
        Raw raw = new Raw();

        @Setup(Level.Trial)
        public void setup() {
            raw.setup();
            kept = raw.gil;
            saved = LibPython.PyEval_SaveThread();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.PyEval_RestoreThread(saved);
            raw.tearDown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long nested_pyjama(Pyjama s) {
        PyObject f = s.f;
        return Python.attach(p -> {
            long x = 0;
            for (int i = 0; i < BATCH; i++) {
                x += f.call(X + i).toJava(Long.class);
            }
            return x;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long nestedPolluted_pyjama(Polluted s) {
        PyObject f = s.f;
        return Python.attach(p -> {
            long x = 0;
            for (int i = 0; i < BATCH; i++) {
                x += f.call(X + i).toJava(Long.class);
            }
            return x;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long callAsPolluted_pyjama(Polluted s) {
        PyObject f = s.f;
        return Python.attach(p -> {
            long x = 0;
            for (int i = 0; i < BATCH; i++) {
                x += f.callAs(long.class, X + i);
            }
            return x;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long closed_pyjama(Pyjama s) {
        PyObject f = s.f;
        return Python.attach(p -> {
            long x = 0;
            for (int i = 0; i < BATCH; i++) {
                try (PyObject r = f.call(X + i)) {
                    x += r.toJava(long.class);
                }
            }
            return x;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long callAs_pyjama(Pyjama s) {
        PyObject f = s.f;
        return Python.attach(p -> {
            long x = 0;
            for (int i = 0; i < BATCH; i++) {
                x += f.callAs(long.class, X + i);
            }
            return x;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long nested_raw(Raw r) {
        long x = 0;
        for (int i = 0; i < BATCH; i++) {
            x += r.call(X + i);
        }
        return x;
    }

    @Benchmark
    public long attachPerCall_pyjama(Detached s) {
        Py<PyObject> f = s.f;
        return Python.attach(p -> f.bind(p).call(X).toJava(Long.class));
    }

    @Benchmark
    public long attachPerCall_raw(RawDetached s) {
        int state = LibPython.PyGILState_Ensure();
        try {
            return s.raw.call(X);
        } finally {
            LibPython.PyGILState_Release(state);
        }
    }
}
