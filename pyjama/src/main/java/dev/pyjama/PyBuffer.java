package dev.pyjama;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.pyjama.exceptions.PyBufferError;
import dev.pyjama.exceptions.PyMemoryError;
import dev.pyjama.internal.abi.Buffers;
import dev.pyjama.internal.runtime.Scope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A zero-copy view of a Python object's memory through the buffer protocol (PEP 3118): bytes,
 * bytearray, memoryview, {@code array.array}, numpy arrays of any dtype and strides.
 *
 * <p>{@link #segment()} is the memory itself as a {@link MemorySegment} (read-only unless the view
 * was asked writable); {@link #format()}, {@link #itemSize()}, {@link #shape()} and
 * {@link #strides()} describe its layout. While the view is open the exporter keeps the memory in
 * place (a bytearray cannot be resized, for instance). The view ends when {@link #close()} is called
 * or its scope closes; the segment is then invalid and any access to it throws
 * {@link IllegalStateException} — it never reads freed memory.
 *
 * <p>{@code segment()} needs C-contiguous memory; the copying accessors ({@link #toDoubleArray()}
 * and the others) follow the strides, so they work on any view (a transposed or sliced numpy
 * array, for example). Values are in the machine's byte order, as Python stores them.
 *
 * <p>Copies into Java: {@code toDoubleArray()} and the other {@code to...Array()} methods allocate
 * the array; {@code toDoubleArray(double[] into)} and the other overloads with an array fill one the
 * caller keeps, which is the fastest way to read data repeatedly (one bulk copy, nothing allocated).
 * The view's description is checked before anything is allocated: an exporter whose {@code len}
 * does not match its shape and item size is refused with {@link PyBufferError}.
 */
public final class PyBuffer implements AutoCloseable {

    private final Scope scope;
    private final PyObject owner;
    /** The {@code Py_buffer} (from the scope's thread scratch memory) and its fields. */
    private final Buffers.View view;
    private final boolean readOnly;
    private final int closeAction;
    /** Made by the first {@link #segment()}; the segment's lifetime. */
    private Arena arena;
    private MemorySegment segment;
    /** The number of items, checked against {@code len}; -1 until first needed. */
    private long items = -1;
    private boolean closed;

    /** A view of {@code owner}, whose address the caller has just checked ({@code owner.ptr()}). */
    PyBuffer(Scope scope, PyObject owner, long address, boolean writable) {
        this.scope = scope;
        this.owner = owner;
        this.view = Buffers.get(address, writable, scope.scratch());
        this.readOnly = !writable || view.readOnly;
        this.closeAction = scope.onClose(new Closer(this));
    }

    /** Ends the view when its scope closes (a class, not a lambda: nothing to spin on the first view). */
    private static final class Closer implements Runnable {
        private final PyBuffer view;

        Closer(PyBuffer view) {
            this.view = view;
        }

        @Override
        public void run() {
            view.close();
        }
    }

    private void check() {
        scope.check();
        if (closed) {
            throw new IllegalStateException("this PyBuffer was closed; its memory may have moved or been freed");
        }
    }

    /**
     * The object whose memory this is (for example, to pass to {@code numpy.frombuffer}).
     *
     * @return the exporter
     */
    public PyObject owner() {
        check();
        return owner;
    }

    /**
     * The memory, valid until the view ends. Read-only unless the view is writable.
     *
     * @return a segment of {@link #byteLength()} bytes
     * @throws IllegalStateException if the memory is not C-contiguous (use the copying accessors,
     *     or {@code numpy.ascontiguousarray} first), or the view was closed
     */
    public MemorySegment segment() {
        check();
        MemorySegment s = segment;
        if (s == null) {
            if (!contiguous()) {
                throw new IllegalStateException("the buffer is not C-contiguous (shape " + Arrays.toString(shape())
                        + ", strides " + Arrays.toString(strides())
                        + "): use the copying accessors, which follow the strides, or numpy.ascontiguousarray first");
            }
            arena = Arena.ofConfined();
            s = Buffers.data(view, arena);
            segment = s = readOnly ? s.asReadOnly() : s;
        }
        return s;
    }

    /**
     * The total size of the data in bytes ({@code len} of the view).
     *
     * @return the byte length
     */
    public long byteLength() {
        check();
        return view.len;
    }

    /**
     * The number of items: the product of {@link #shape()} (1 for a scalar).
     *
     * @return the item count
     * @throws PyBufferError if the exporter's shape, item size and {@code len} disagree
     */
    public long itemCount() {
        check();
        return items();
    }

    /**
     * The struct-module format of one item, such as {@code "d"} (double), {@code "q"} (64-bit int),
     * {@code "B"} (unsigned byte).
     *
     * @return the format string
     */
    public String format() {
        check();
        return view.format();
    }

    /**
     * The size of one item in bytes.
     *
     * @return the item size
     */
    public long itemSize() {
        check();
        return view.itemSize;
    }

    /**
     * The number of dimensions.
     *
     * @return the dimension count (0 for a scalar)
     */
    public int ndim() {
        check();
        return view.ndim;
    }

    /**
     * The length of each dimension.
     *
     * @return a new array of {@link #ndim()} lengths
     */
    public long[] shape() {
        check();
        long[] shape = view.shapeOrNull();
        if (shape == null) {
            return view.ndim == 0 ? new long[0] : new long[] {view.len / Math.max(1, view.itemSize)};
        }
        return shape;
    }

    /**
     * The distance in bytes between consecutive items of each dimension (negative for reversed views).
     *
     * @return a new array of {@link #ndim()} strides
     */
    public long[] strides() {
        check();
        int n = view.ndim;
        long[] given = view.stridesOrNull();
        if (given == null) {
            long[] shape = shape();
            long[] out = new long[n];
            long step = view.itemSize;
            for (int i = n - 1; i >= 0; i--) {
                out[i] = step;
                step *= shape[i];
            }
            return out;
        }
        return given;
    }

    /**
     * Whether the memory may not be written.
     *
     * @return true for a read-only view
     */
    public boolean isReadOnly() {
        check();
        return readOnly;
    }

    /**
     * Whether the memory is C-contiguous (row-major, no gaps), as {@link #segment()} needs.
     *
     * @return true when contiguous
     */
    public boolean isCContiguous() {
        check();
        return contiguous();
    }

    /** {@code PyBuffer_IsContiguous(view, 'C')}, computed from the view's fields as CPython does. */
    private boolean contiguous() {
        return view.isCContiguous();
    }

    /**
     * The item count, after checking that the exporter's description holds together: a positive
     * item size, no negative dimension, and {@code len} equal to items times item size. Nothing is
     * sized from a description that fails this.
     */
    private long items() {
        long n = items;
        if (n < 0) {
            long itemSize = view.itemSize;
            long len = view.len;
            int ndim = view.ndim;
            long[] shape = view.shapeOrNull();
            if (itemSize <= 0 || ndim < 0 || len < 0) {
                throw inconsistent("item size " + itemSize + ", " + ndim + " dimensions, len " + len);
            }
            if (shape == null) {
                if (len % itemSize != 0 || ndim > 1) {
                    throw inconsistent("len " + len + " with item size " + itemSize + " and no shape");
                }
                n = ndim == 0 ? 1 : len / itemSize;
            } else {
                n = 1;
                try {
                    for (long d : shape) {
                        if (d < 0) {
                            throw inconsistent("shape " + Arrays.toString(shape));
                        }
                        n = Math.multiplyExact(n, d);
                    }
                    if (Math.multiplyExact(n, itemSize) != len) {
                        throw inconsistent("shape " + Arrays.toString(shape) + " of " + itemSize + "-byte items, len " + len);
                    }
                } catch (ArithmeticException e) {
                    throw inconsistent("shape " + Arrays.toString(shape) + " of " + itemSize + "-byte items overflows");
                }
            }
            items = n;
        }
        return n;
    }

    private static PyBufferError inconsistent(String what) {
        return new PyBufferError("the exporter describes its buffer inconsistently (" + what
                + "): it must have len == product(shape) * itemsize");
    }

    // --- copies in C (row-major) order: one bulk copy when contiguous, else following the strides ---

    /**
     * A copy of all items as doubles.
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the item format is not a C double ({@code "d"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public double[] toDoubleArray() {
        expect("d", 8, "double");
        double[] out;
        try {
            out = new double[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(8);
        }
        return toDoubleArray(out);
    }

    /**
     * Copies all items, as doubles, into {@code into} from index 0: one bulk copy when the memory
     * is contiguous, nothing allocated. The fastest way to read a numpy float64 array repeatedly.
     *
     * <p>{@snippet :
     * double[] values = new double[n];                 // kept and reused
     * try (PyBuffer view = array.buffer()) {
     *     view.toDoubleArray(values);
     * }
     * }
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the item format is not a C double ({@code "d"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public double[] toDoubleArray(double[] into) {
        Objects.requireNonNull(into, "into");
        expect("d", 8, "double");
        copyAll(into, JAVA_DOUBLE_UNALIGNED, room(into.length),
                (src, off, i) -> into[i] = src.get(JAVA_DOUBLE_UNALIGNED, off));
        return into;
    }

    /**
     * A copy of all items as floats.
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the item format is not a C float ({@code "f"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public float[] toFloatArray() {
        expect("f", 4, "float");
        float[] out;
        try {
            out = new float[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(4);
        }
        return toFloatArray(out);
    }

    /**
     * Copies all items, as floats, into {@code into} from index 0 (see {@link #toDoubleArray(double[])}).
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the item format is not a C float ({@code "f"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public float[] toFloatArray(float[] into) {
        Objects.requireNonNull(into, "into");
        expect("f", 4, "float");
        copyAll(into, JAVA_FLOAT_UNALIGNED, room(into.length),
                (src, off, i) -> into[i] = src.get(JAVA_FLOAT_UNALIGNED, off));
        return into;
    }

    /**
     * A copy of all items as longs.
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the items are not signed 64-bit integers ({@code "q"}, or {@code "l"} of 8 bytes)
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public long[] toLongArray() {
        expect("qln", 8, "signed 64-bit integer");
        long[] out;
        try {
            out = new long[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(8);
        }
        return toLongArray(out);
    }

    /**
     * Copies all items, as longs, into {@code into} from index 0 (see {@link #toDoubleArray(double[])}).
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the items are not signed 64-bit integers ({@code "q"}, or {@code "l"} of 8 bytes)
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public long[] toLongArray(long[] into) {
        Objects.requireNonNull(into, "into");
        expect("qln", 8, "signed 64-bit integer");
        copyAll(into, JAVA_LONG_UNALIGNED, room(into.length),
                (src, off, i) -> into[i] = src.get(JAVA_LONG_UNALIGNED, off));
        return into;
    }

    /**
     * A copy of all items as ints.
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the items are not signed 32-bit integers ({@code "i"}, or {@code "l"} of 4 bytes)
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public int[] toIntArray() {
        expect("il", 4, "signed 32-bit integer");
        int[] out;
        try {
            out = new int[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(4);
        }
        return toIntArray(out);
    }

    /**
     * Copies all items, as ints, into {@code into} from index 0 (see {@link #toDoubleArray(double[])}).
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the items are not signed 32-bit integers ({@code "i"}, or {@code "l"} of 4 bytes)
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public int[] toIntArray(int[] into) {
        Objects.requireNonNull(into, "into");
        expect("il", 4, "signed 32-bit integer");
        copyAll(into, JAVA_INT_UNALIGNED, room(into.length),
                (src, off, i) -> into[i] = src.get(JAVA_INT_UNALIGNED, off));
        return into;
    }

    /**
     * A copy of all items as shorts.
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the items are not signed 16-bit integers ({@code "h"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public short[] toShortArray() {
        expect("h", 2, "signed 16-bit integer");
        short[] out;
        try {
            out = new short[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(2);
        }
        return toShortArray(out);
    }

    /**
     * Copies all items, as shorts, into {@code into} from index 0 (see {@link #toDoubleArray(double[])}).
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the items are not signed 16-bit integers ({@code "h"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public short[] toShortArray(short[] into) {
        Objects.requireNonNull(into, "into");
        expect("h", 2, "signed 16-bit integer");
        copyAll(into, JAVA_SHORT_UNALIGNED, room(into.length),
                (src, off, i) -> into[i] = src.get(JAVA_SHORT_UNALIGNED, off));
        return into;
    }

    /**
     * A copy of all items as chars (UTF-16 code units).
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the items are not unsigned 16-bit integers ({@code "H"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public char[] toCharArray() {
        expect("H", 2, "unsigned 16-bit integer");
        char[] out;
        try {
            out = new char[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(2);
        }
        return toCharArray(out);
    }

    /**
     * Copies all items, as chars, into {@code into} from index 0 (see {@link #toDoubleArray(double[])}).
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the items are not unsigned 16-bit integers ({@code "H"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public char[] toCharArray(char[] into) {
        Objects.requireNonNull(into, "into");
        expect("H", 2, "unsigned 16-bit integer");
        copyAll(into, JAVA_CHAR_UNALIGNED, room(into.length),
                (src, off, i) -> into[i] = src.get(JAVA_CHAR_UNALIGNED, off));
        return into;
    }

    /**
     * A copy of all items as booleans (any non-zero byte is true).
     *
     * @return the items in row-major order, in a new array
     * @throws IllegalStateException if the items are not C bools ({@code "?"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public boolean[] toBooleanArray() {
        expect("?", 1, "bool");
        boolean[] out;
        try {
            out = new boolean[javaLength()];
        } catch (OutOfMemoryError e) {
            throw tooLarge(1);
        }
        return toBooleanArray(out);
    }

    /**
     * Copies all items, as booleans, into {@code into} from index 0 (item by item: Java has no bulk
     * copy into a {@code boolean[]}).
     *
     * @param into the array to fill, with room for at least {@link #itemCount()} values
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws IllegalStateException if the items are not C bools ({@code "?"})
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public boolean[] toBooleanArray(boolean[] into) {
        Objects.requireNonNull(into, "into");
        expect("?", 1, "bool");
        room(into.length);
        copy((src, off, i) -> into[i] = src.get(JAVA_BYTE, off) != 0);
        return into;
    }

    /**
     * A copy of all bytes of the items (any format), in row-major order.
     *
     * @return the bytes, in a new array
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     * @throws PyMemoryError if the Java heap cannot hold the copy
     */
    public byte[] toByteArray() {
        check();
        byte[] out;
        try {
            out = new byte[javaLength(Math.multiplyExact(items(), view.itemSize))];
        } catch (OutOfMemoryError e) {
            throw tooLarge(1);
        }
        return toByteArray(out);
    }

    /**
     * Copies all bytes of the items (any format), in row-major order, into {@code into} from index
     * 0: one bulk copy when the memory is contiguous, nothing allocated.
     *
     * @param into the array to fill, with room for at least {@link #byteLength()} bytes
     * @return {@code into}
     * @throws IllegalArgumentException if {@code into} is shorter than the buffer
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public byte[] toByteArray(byte[] into) {
        Objects.requireNonNull(into, "into");
        check();
        long itemSize = view.itemSize;
        long bytes = items() * itemSize; // cannot overflow: items() checked it
        if (bytes > into.length) {
            throw new IllegalArgumentException("the buffer holds " + bytes + " bytes; the array has room for " + into.length);
        }
        if (contiguous()) {
            Buffers.copyOut(view, JAVA_BYTE, into, 0, (int) bytes);
        } else {
            copy((src, off, i) -> MemorySegment.copy(src, JAVA_BYTE, off, into, (int) (i * itemSize), (int) itemSize));
        }
        return into;
    }

    /**
     * Copies all bytes of the items (any format), in row-major order, into {@code target} at its
     * position, which advances past them (as {@link ByteBuffer#put(byte[])} does). Works with heap
     * and direct buffers.
     *
     * @param target the buffer to fill, with at least {@link #byteLength()} bytes remaining
     * @return {@code target}
     * @throws java.nio.BufferOverflowException if fewer bytes remain in {@code target}
     * @throws ReadOnlyBufferException if {@code target} is read-only
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public ByteBuffer copyTo(ByteBuffer target) {
        Objects.requireNonNull(target, "target");
        check();
        if (target.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        long itemSize = view.itemSize;
        long bytes = items() * itemSize;
        if (bytes > target.remaining()) {
            throw new java.nio.BufferOverflowException();
        }
        MemorySegment dst = MemorySegment.ofBuffer(target);
        if (contiguous()) {
            Buffers.copyOut(view, dst, bytes);
        } else {
            copy((src, off, i) -> MemorySegment.copy(src, off, dst, i * itemSize, itemSize));
        }
        target.position(target.position() + (int) bytes);
        return target;
    }

    /**
     * A copy of a two-dimensional array of doubles.
     *
     * @return {@code [rows][columns]}
     * @throws IllegalStateException if the view is not 2-D or not of doubles
     * @throws PyBufferError if the exporter's description of its memory is inconsistent
     */
    public double[][] toDoubleMatrix() {
        if (ndim() != 2) {
            throw new IllegalStateException("expected a 2-D buffer, got " + ndim() + " dimensions");
        }
        double[] flat = toDoubleArray();
        long[] shape = shape();
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /** The item count as the length of a Java array, or an exception when no array can be that long. */
    private int javaLength() {
        return javaLength(items());
    }

    private static int javaLength(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the buffer holds " + n + " items, more than a Java array can: "
                    + "read it through segment() or copy it in slices");
        }
        return (int) n;
    }

    private PyMemoryError tooLarge(long itemSize) {
        return new PyMemoryError("the Java heap cannot hold a copy of " + items() + " items of " + itemSize
                + " bytes (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB maximum heap)");
    }

    /** The item count, after checking that an array of {@code length} has room for it. */
    private int room(int length) {
        long n = items();
        if (n > length) {
            throw new IllegalArgumentException("the buffer holds " + n + " items; the array has room for " + length);
        }
        return (int) n;
    }

    private void expect(String codes, long size, String what) {
        check();
        String f = view.format();
        boolean prefixed = !f.isEmpty() && "@=<>!".indexOf(f.charAt(0)) >= 0;
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        boolean nativeOrder = !prefixed || switch (f.charAt(0)) {
            case '<' -> little;
            case '>', '!' -> !little;
            default -> true;
        };
        int codeAt = prefixed ? 1 : 0;
        if (f.length() != codeAt + 1 || codes.indexOf(f.charAt(codeAt)) < 0 || view.itemSize != size
                || !nativeOrder) {
            throw new IllegalStateException("the buffer holds items of format '" + f + "' (" + view.itemSize
                    + " bytes), not " + what + "s");
        }
    }

    /**
     * Fills {@code out}, an array of {@code layout}'s carrier type, with {@code count} items: one
     * bulk copy when the buffer is C-contiguous, else item by item with {@code strided}.
     */
    private void copyAll(Object out, ValueLayout layout, int count, ItemCopier strided) {
        if (contiguous()) {
            Buffers.copyOut(view, layout, out, 0, count);
        } else {
            copy(strided);
        }
    }

    @FunctionalInterface
    private interface ItemCopier {
        void copy(MemorySegment source, long offset, int index);
    }

    /** Visits every item in row-major order with its byte offset from the lowest address used. */
    private void copy(ItemCopier copier) {
        check();
        long total = items();
        if (total == 0) {
            return;
        }
        long[] shape = shape();
        long[] strides = strides();
        long itemSize = view.itemSize;
        long min = 0;
        long max = 0;
        for (int d = 0; d < shape.length; d++) {
            long extent = (shape[d] - 1) * strides[d];
            if (extent < 0) {
                min += extent;
            } else {
                max += extent;
            }
        }
        MemorySegment base = Buffers.span(view, min, max - min + itemSize);
        long[] index = new long[shape.length];
        long offset = -min;
        for (int i = 0; i < total; i++) {
            copier.copy(base, offset, i);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    offset += strides[d];
                    break;
                }
                offset -= (shape[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
    }

    /**
     * Ends the view ({@code PyBuffer_Release}) and invalidates {@link #segment()}. Idempotent; also
     * done when the scope closes.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        scope.check();
        closed = true;
        scope.cancelOnClose(closeAction);
        try {
            Buffers.release(view, scope.scratch());
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }
}
