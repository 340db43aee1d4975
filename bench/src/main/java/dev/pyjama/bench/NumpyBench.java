package dev.pyjama.bench;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import dev.pyjama.PyBuffer;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import dev.pyjama.ffi.Py_buffer;
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

/**
 * A numpy array of 10,000,000 float64 (benchmark 7): read in Java without a copy (a sum over the
 * buffer's memory, against the same sum over a Java {@code double[]}), copied to a {@code double[]},
 * and a {@code double[]} copied into a new numpy array.
 *
 * <p>Floors: the sum over a Java array for the zero-copy read (the target: within 2x), and
 * raw FFM ({@code PyObject_GetBuffer}, one bulk {@code MemorySegment.copy}, {@code PyBuffer_Release};
 * for the way back {@code numpy.empty} then the same bulk copy) for the copies. Needs numpy in the
 * benchmarked CPython (3.11.7 here).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NumpyBench {

    static final int N = 10_000_000;

    /** The loop both sums share: sequential, so both are bound by the same add latency. */
    static double sum(MemorySegment data, long n) {
        double s = 0;
        for (long i = 0; i < n; i++) {
            s += data.getAtIndex(JAVA_DOUBLE, i);
        }
        return s;
    }

    static double sum(double[] data) {
        double s = 0;
        for (int i = 0; i < data.length; i++) {
            s += data[i];
        }
        return s;
    }

    @State(Scope.Thread)
    public static class Data {
        double[] values;

        @Setup(Level.Trial)
        public void setup() {
            values = new double[N];
            for (int i = 0; i < N; i++) {
                values[i] = i;
            }
        }
    }

    @State(Scope.Thread)
    public static class Pyjama {
        Python py;
        PyObject asarray;
        PyObject array;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            asarray = py.importModule("numpy").getAttr("asarray");
            array = py.eval("make_floats").call(N);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        int gil;
        MemorySegment array;
        MemorySegment emptyFloats;
        MemorySegment view;
        MemorySegment args;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            gil = LibPython.PyGILState_Ensure();
            args = Arena.global().allocate(ValueLayout.ADDRESS, 1);
            args.set(ValueLayout.ADDRESS, 0, LibPython.PyLong_FromLongLong(N));
            array = Fixture.check(LibPython.PyObject_Vectorcall(Fixture.rawMainGlobal("make_floats"), args, 1,
                    MemorySegment.NULL));
            emptyFloats = Fixture.rawMainGlobal("empty_floats");
            view = Py_buffer.allocate(Arena.global());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.Py_DecRef(array);
            LibPython.PyGILState_Release(gil);
        }

        MemorySegment data(MemorySegment obj, int flags) {
            if (LibPython.PyObject_GetBuffer(obj, view, flags) != 0) {
                throw Fixture.fail();
            }
            return Py_buffer.buf(view).reinterpret(Py_buffer.len(view));
        }
    }

    // --- zero-copy read: the target is within 2x of the same sum over a double[] ---

    @Benchmark
    public double sum_zeroCopy_pyjama(Pyjama s) {
        try (PyBuffer b = s.array.buffer()) {
            return sum(b.segment(), b.byteLength() / 8);
        }
    }

    @Benchmark
    public double sum_zeroCopy_raw(Raw r) {
        MemorySegment data = r.data(r.array, LibPython.PyBUF_SIMPLE());
        try {
            return sum(data, data.byteSize() / 8);
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    /** The floor of the zero-copy target: the same loop over a Java array. */
    @Benchmark
    public double sum_javaArray(Data d) {
        return sum(d.values);
    }

    // --- numpy -> double[] (a copy) ---

    @Benchmark
    public int toJava_copy_pyjama(Pyjama s) {
        try (PyBuffer b = s.array.buffer()) {
            return b.toDoubleArray().length;
        }
    }

    @Benchmark
    public int toJava_copy_raw(Raw r) {
        MemorySegment data = r.data(r.array, LibPython.PyBUF_SIMPLE());
        try {
            double[] out = new double[(int) (data.byteSize() / 8)];
            MemorySegment.copy(data, JAVA_DOUBLE, 0, out, 0, out.length);
            return out.length;
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    // --- double[] -> numpy (a copy) ---

    @Benchmark
    public long fromJava_copy_pyjama(Pyjama s, Data d) {
        try (PyObject copy = s.py.arrayOf(d.values); PyObject a = s.asarray.call(copy)) {
            return a.len();
        }
    }

    @Benchmark
    public long fromJava_copy_raw(Raw r, Data d) {
        MemorySegment a = Fixture.check(LibPython.PyObject_Vectorcall(r.emptyFloats, r.args, 1, MemorySegment.NULL));
        MemorySegment data = r.data(a, LibPython.PyBUF_WRITABLE());
        MemorySegment.copy(d.values, 0, data, JAVA_DOUBLE, 0, d.values.length);
        LibPython.PyBuffer_Release(r.view);
        long n = LibPython.PyObject_Size(a);
        LibPython.Py_DecRef(a);
        return n;
    }
}
