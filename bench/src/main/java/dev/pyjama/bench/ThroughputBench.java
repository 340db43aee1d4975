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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * N-thread throughput (benchmark 4): each operation is attach + {@code f(x)} (long in, long out) +
 * release, on 1, 2 and 4 threads at once. The GIL serialises the Python part, so the total cannot
 * grow with threads; what this shows is how much the hand-over of the GIL costs. The machine has 2
 * cores, so 4 threads are oversubscribed.
 *
 * <p>pyjama: {@code Python.attach()}, {@code fRef.bind(py).call(x).toJava(long.class)}, close (the
 * scope releases the bound handle and the result). Floor: {@code PyGILState_Ensure}, raw vectorcall,
 * {@code PyGILState_Release}, each thread keeping its thread state as in {@link AttachBench}.
 * Scores are total operations per second over all threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ThroughputBench {

    static final long X = 1_000_000L;
    static final long OFFSET = Long.MIN_VALUE;

    /** {@code f}, unbound, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        Py<PyObject> fRef;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            fRef = Python.attach(py -> py.eval("f").unbind());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fRef.close();
        }
    }

    @State(Scope.Thread)
    public static class PyjamaThread {
        long x = X;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            Python.attach(py -> null); // this thread's first attach: its thread state is kept
        }
    }

    /** Raw: f and this thread's argument buffer, its kept thread state. */
    @State(Scope.Thread)
    public static class RawThread {
        static volatile MemorySegment f;
        int kept;
        MemorySegment saved;
        MemorySegment argv;
        long x = X;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            kept = LibPython.PyGILState_Ensure();
            synchronized (RawThread.class) {
                if (f == null) {
                    f = Fixture.rawMainGlobal("f"); // kept for the fork
                }
            }
            argv = Arena.global().allocate(ValueLayout.ADDRESS, 2).asSlice(ValueLayout.ADDRESS.byteSize());
            saved = LibPython.PyEval_SaveThread();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.PyEval_RestoreThread(saved);
            LibPython.PyGILState_Release(kept);
        }
    }

    static long pyjamaOp(Shared sh, PyjamaThread t) {
        try (Python py = Python.attach()) {
            return sh.fRef.bind(py).call(t.x).toJava(long.class);
        }
    }

    static long rawOp(RawThread t) {
        int state = LibPython.PyGILState_Ensure();
        try {
            MemorySegment arg = LibPython.PyLong_FromLongLong(t.x);
            t.argv.setAtIndex(ValueLayout.ADDRESS, 0, arg);
            MemorySegment r = LibPython.PyObject_Vectorcall(RawThread.f, t.argv, 1 | OFFSET, MemorySegment.NULL);
            LibPython.Py_DecRef(arg);
            if (r.address() == 0) {
                throw Fixture.fail();
            }
            long v = LibPython.PyLong_AsLongLong(r);
            LibPython.Py_DecRef(r);
            return v;
        } finally {
            LibPython.PyGILState_Release(state);
        }
    }

    @Benchmark @Threads(1)
    public long threads1_pyjama(Shared sh, PyjamaThread t) {
        return pyjamaOp(sh, t);
    }

    @Benchmark @Threads(2)
    public long threads2_pyjama(Shared sh, PyjamaThread t) {
        return pyjamaOp(sh, t);
    }

    @Benchmark @Threads(4)
    public long threads4_pyjama(Shared sh, PyjamaThread t) {
        return pyjamaOp(sh, t);
    }

    @Benchmark @Threads(1)
    public long threads1_raw(RawThread t) {
        return rawOp(t);
    }

    @Benchmark @Threads(2)
    public long threads2_raw(RawThread t) {
        return rawOp(t);
    }

    @Benchmark @Threads(4)
    public long threads4_raw(RawThread t) {
        return rawOp(t);
    }
}
