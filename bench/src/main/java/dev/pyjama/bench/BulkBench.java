package dev.pyjama.bench;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.PyBuffer;
import dev.pyjama.PyBytes;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import dev.pyjama.ffi.Py_buffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
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
 * Bulk data both ways (issue 21), per direction and type family: 10,000,000 float64, 10,000,000
 * int64, 100 MB of bytes. Each pyjama form is measured next to its raw FFM floor in the same run:
 *
 * <ul>
 *   <li>Java to Python, numbers: {@code py.arrayOf(values)} then {@code numpy.asarray} on it,
 *       against {@code numpy.empty(n)} + {@code PyObject_GetBuffer} + one bulk copy;</li>
 *   <li>Java to Python, bytes: {@code py.bytes(byte[])} / {@code py.byteArray(byte[])} /
 *       {@code py.toPython(direct ByteBuffer)}, against {@code PyBytes_FromStringAndSize(NULL, n)}
 *       (or the bytearray one) + one bulk copy into its data, and for the direct buffer
 *       {@code PyBytes_FromStringAndSize(address, n)};</li>
 *   <li>Python to Java: {@code buffer().toDoubleArray()} (a new array) and
 *       {@code toDoubleArray(into)} (a kept one), the same for longs and bytes, against
 *       {@code PyObject_GetBuffer} + one bulk copy into a new / the kept array;</li>
 *   <li>a view's cost on its own ({@code buffer()} + {@code segment()} + {@code close()}) against
 *       {@code PyObject_GetBuffer} + {@code PyBuffer_Release}: warm (ns) and single-shot (µs, the
 *       first uses of a fork, run with {@code -bm ss}).</li>
 * </ul>
 *
 * Needs numpy in the benchmarked CPython (3.11.7 here).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BulkBench {

    static final int N = 10_000_000;
    static final int BYTES = 100_000_000;

    @State(Scope.Thread)
    public static class Data {
        double[] doubles;
        long[] longs;
        byte[] bytes;
        double[] intoDoubles;
        long[] intoLongs;
        byte[] intoBytes;
        ByteBuffer direct;
        ByteBuffer intoDirect;

        @Setup(Level.Trial)
        public void setup() {
            doubles = new double[N];
            longs = new long[N];
            for (int i = 0; i < N; i++) {
                doubles[i] = i;
                longs[i] = i;
            }
            bytes = new byte[BYTES];
            for (int i = 0; i < BYTES; i++) {
                bytes[i] = (byte) i;
            }
            intoDoubles = new double[N];
            intoLongs = new long[N];
            intoBytes = new byte[BYTES];
            direct = ByteBuffer.allocateDirect(BYTES);
            direct.put(bytes).clear();
            intoDirect = ByteBuffer.allocateDirect(BYTES);
        }
    }

    @State(Scope.Thread)
    public static class Pyjama {
        Python py;
        PyObject asarray;
        PyObject floats;
        PyObject ints;
        PyBytes bytes;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            asarray = py.importModule("numpy").getAttr("asarray");
            floats = py.eval("make_floats").call(N);
            ints = py.eval("make_ints").call(N);
            bytes = py.eval("make_bytes").call(BYTES).as(PyBytes.class);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        int gil;
        MemorySegment floats;
        MemorySegment ints;
        MemorySegment bytes;
        MemorySegment emptyFloats;
        MemorySegment emptyInts;
        MemorySegment view;
        MemorySegment args;
        MemorySegment out;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            gil = LibPython.PyGILState_Ensure();
            args = Arena.global().allocate(ValueLayout.ADDRESS, 1);
            args.set(ValueLayout.ADDRESS, 0, LibPython.PyLong_FromLongLong(N));
            floats = Fixture.check(LibPython.PyObject_Vectorcall(Fixture.rawMainGlobal("make_floats"), args, 1,
                    MemorySegment.NULL));
            ints = Fixture.check(LibPython.PyObject_Vectorcall(Fixture.rawMainGlobal("make_ints"), args, 1,
                    MemorySegment.NULL));
            MemorySegment bytesArgs = Arena.global().allocate(ValueLayout.ADDRESS, 1);
            bytesArgs.set(ValueLayout.ADDRESS, 0, LibPython.PyLong_FromLongLong(BYTES));
            bytes = Fixture.check(LibPython.PyObject_Vectorcall(Fixture.rawMainGlobal("make_bytes"), bytesArgs, 1,
                    MemorySegment.NULL));
            emptyFloats = Fixture.rawMainGlobal("empty_floats");
            emptyInts = Fixture.rawMainGlobal("empty_ints");
            view = Py_buffer.allocate(Arena.global());
            out = Arena.global().allocate(16, 8);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.Py_DecRef(floats);
            LibPython.Py_DecRef(ints);
            LibPython.Py_DecRef(bytes);
            LibPython.PyGILState_Release(gil);
        }

        MemorySegment data(MemorySegment obj, int flags) {
            if (LibPython.PyObject_GetBuffer(obj, view, flags) != 0) {
                throw Fixture.fail();
            }
            return Py_buffer.buf(view).reinterpret(Py_buffer.len(view));
        }

        /** numpy.empty(n, dtype) filled with one bulk copy: the floor of arrayOf + asarray. */
        long numpyFrom(MemorySegment empty, Object values, ValueLayout layout, int n) {
            MemorySegment a = Fixture.check(LibPython.PyObject_Vectorcall(empty, args, 1, MemorySegment.NULL));
            MemorySegment data = data(a, LibPython.PyBUF_WRITABLE());
            MemorySegment.copy(values, 0, data, layout, 0, n);
            LibPython.PyBuffer_Release(view);
            long size = LibPython.PyObject_Size(a);
            LibPython.Py_DecRef(a);
            return size;
        }
    }

    // --- Java -> Python ---

    @Benchmark
    public long float64_toPython_pyjama(Pyjama s, Data d) {
        try (PyObject copy = s.py.arrayOf(d.doubles); PyObject a = s.asarray.call(copy)) {
            return a.len();
        }
    }

    @Benchmark
    public long float64_toPython_raw(Raw r, Data d) {
        return r.numpyFrom(r.emptyFloats, d.doubles, JAVA_DOUBLE, N);
    }

    @Benchmark
    public long int64_toPython_pyjama(Pyjama s, Data d) {
        try (PyObject copy = s.py.arrayOf(d.longs); PyObject a = s.asarray.call(copy)) {
            return a.len();
        }
    }

    @Benchmark
    public long int64_toPython_raw(Raw r, Data d) {
        return r.numpyFrom(r.emptyInts, d.longs, JAVA_LONG, N);
    }

    @Benchmark
    public long bytes_toPython_pyjama(Pyjama s, Data d) {
        try (PyBytes b = s.py.bytes(d.bytes)) {
            return b.length();
        }
    }

    @Benchmark
    public long bytes_toPython_raw(Raw r, Data d) {
        MemorySegment b = Fixture.check(LibPython.PyBytes_FromStringAndSize(MemorySegment.NULL, BYTES));
        MemorySegment.copy(d.bytes, 0, LibPython.PyBytes_AsString(b).reinterpret(BYTES), JAVA_BYTE, 0, BYTES);
        long n = LibPython.PyObject_Size(b);
        LibPython.Py_DecRef(b);
        return n;
    }

    @Benchmark
    public long bytearray_toPython_pyjama(Pyjama s, Data d) {
        try (PyObject b = s.py.byteArray(d.bytes)) {
            return b.len();
        }
    }

    @Benchmark
    public long bytearray_toPython_raw(Raw r, Data d) {
        MemorySegment b = Fixture.check(LibPython.PyByteArray_FromStringAndSize(MemorySegment.NULL, BYTES));
        MemorySegment.copy(d.bytes, 0, LibPython.PyByteArray_AsString(b).reinterpret(BYTES), JAVA_BYTE, 0, BYTES);
        long n = LibPython.PyObject_Size(b);
        LibPython.Py_DecRef(b);
        return n;
    }

    @Benchmark
    public long directBuffer_toPython_pyjama(Pyjama s, Data d) {
        try (PyObject b = s.py.toPython(d.direct)) {
            return b.len();
        }
    }

    @Benchmark
    public long directBuffer_toPython_raw(Raw r, Data d) {
        MemorySegment b = Fixture.check(LibPython.PyBytes_FromStringAndSize(MemorySegment.ofBuffer(d.direct), BYTES));
        long n = LibPython.PyObject_Size(b);
        LibPython.Py_DecRef(b);
        return n;
    }

    // --- Python -> Java, into a new array ---

    @Benchmark
    public int float64_toJava_new_pyjama(Pyjama s) {
        try (PyBuffer b = s.floats.buffer()) {
            return b.toDoubleArray().length;
        }
    }

    @Benchmark
    public int float64_toJava_new_raw(Raw r) {
        MemorySegment data = r.data(r.floats, LibPython.PyBUF_SIMPLE());
        try {
            double[] out = new double[(int) (data.byteSize() / 8)];
            MemorySegment.copy(data, JAVA_DOUBLE, 0, out, 0, out.length);
            return out.length;
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    @Benchmark
    public int int64_toJava_new_pyjama(Pyjama s) {
        try (PyBuffer b = s.ints.buffer()) {
            return b.toLongArray().length;
        }
    }

    @Benchmark
    public int int64_toJava_new_raw(Raw r) {
        MemorySegment data = r.data(r.ints, LibPython.PyBUF_SIMPLE());
        try {
            long[] out = new long[(int) (data.byteSize() / 8)];
            MemorySegment.copy(data, JAVA_LONG, 0, out, 0, out.length);
            return out.length;
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    @Benchmark
    public int bytes_toJava_new_pyjama(Pyjama s) {
        return s.bytes.toByteArray().length;
    }

    @Benchmark
    public int bytes_toJava_new_raw(Raw r) {
        if (LibPython.PyBytes_AsStringAndSize(r.bytes, r.out, r.out.asSlice(8)) != 0) {
            throw Fixture.fail();
        }
        long n = r.out.get(JAVA_LONG, 8);
        return r.out.get(ValueLayout.ADDRESS, 0).reinterpret(n).toArray(JAVA_BYTE).length;
    }

    // --- Python -> Java, into a kept array ---

    @Benchmark
    public double float64_toJava_into_pyjama(Pyjama s, Data d) {
        try (PyBuffer b = s.floats.buffer()) {
            return b.toDoubleArray(d.intoDoubles)[N - 1];
        }
    }

    @Benchmark
    public double float64_toJava_into_raw(Raw r, Data d) {
        MemorySegment data = r.data(r.floats, LibPython.PyBUF_SIMPLE());
        try {
            MemorySegment.copy(data, JAVA_DOUBLE, 0, d.intoDoubles, 0, N);
            return d.intoDoubles[N - 1];
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    @Benchmark
    public long int64_toJava_into_pyjama(Pyjama s, Data d) {
        try (PyBuffer b = s.ints.buffer()) {
            return b.toLongArray(d.intoLongs)[N - 1];
        }
    }

    @Benchmark
    public long int64_toJava_into_raw(Raw r, Data d) {
        MemorySegment data = r.data(r.ints, LibPython.PyBUF_SIMPLE());
        try {
            MemorySegment.copy(data, JAVA_LONG, 0, d.intoLongs, 0, N);
            return d.intoLongs[N - 1];
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    @Benchmark
    public byte bytes_toJava_into_pyjama(Pyjama s, Data d) {
        try (PyBuffer b = s.bytes.buffer()) {
            return b.toByteArray(d.intoBytes)[BYTES - 1];
        }
    }

    @Benchmark
    public byte bytes_toJava_into_raw(Raw r, Data d) {
        MemorySegment data = r.data(r.bytes, LibPython.PyBUF_SIMPLE());
        try {
            MemorySegment.copy(data, JAVA_BYTE, 0, d.intoBytes, 0, BYTES);
            return d.intoBytes[BYTES - 1];
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    @Benchmark
    public int bytes_toJava_directBuffer_pyjama(Pyjama s, Data d) {
        try (PyBuffer b = s.bytes.buffer()) {
            return b.copyTo(d.intoDirect.clear()).position();
        }
    }

    @Benchmark
    public int bytes_toJava_directBuffer_raw(Raw r, Data d) {
        MemorySegment data = r.data(r.bytes, LibPython.PyBUF_SIMPLE());
        try {
            ByteBuffer target = d.intoDirect.clear();
            MemorySegment.copy(data, 0, MemorySegment.ofBuffer(target), 0, BYTES);
            return target.position(BYTES).position();
        } finally {
            LibPython.PyBuffer_Release(r.view);
        }
    }

    // --- a view on its own ---

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long view_pyjama(Pyjama s) {
        try (PyBuffer b = s.floats.buffer()) {
            return b.segment().byteSize();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long view_raw(Raw r) {
        long n = r.data(r.floats, LibPython.PyBUF_RECORDS_RO()).byteSize();
        LibPython.PyBuffer_Release(r.view);
        return n;
    }
}
