package dev.pyjama;

import dev.pyjama.internal.abi.Buffers;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.pyjama.internal.runtime.Scope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

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
 */
public final class PyBuffer implements AutoCloseable {

    private final Scope scope;
    private final PyObject owner;
    private final Arena arena;
    private final MemorySegment view;
    private final boolean readOnly;
    private boolean closed;

    PyBuffer(Scope scope, PyObject owner, boolean writable) {
        this.scope = scope;
        this.owner = owner;
        Arena a = Arena.ofConfined();
        try {
            this.view = Buffers.get(owner.ptr(), writable, a);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        this.arena = a;
        this.readOnly = !writable || Buffers.readOnly(view);
        scope.onClose(this::close);
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
        if (!Buffers.isCContiguous(view)) {
            throw new IllegalStateException("the buffer is not C-contiguous (shape " + java.util.Arrays.toString(shape())
                    + ", strides " + java.util.Arrays.toString(strides())
                    + "): use the copying accessors, which follow the strides, or numpy.ascontiguousarray first");
        }
        MemorySegment s = MemorySegment.ofAddress(Buffers.buf(view)).reinterpret(Buffers.len(view), arena, null);
        return readOnly ? s.asReadOnly() : s;
    }

    /**
     * The total size of the data in bytes ({@code len} of the view).
     *
     * @return the byte length
     */
    public long byteLength() {
        check();
        return Buffers.len(view);
    }

    /**
     * The struct-module format of one item, such as {@code "d"} (double), {@code "q"} (64-bit int),
     * {@code "B"} (unsigned byte).
     *
     * @return the format string
     */
    public String format() {
        check();
        return Buffers.format(view);
    }

    /**
     * The size of one item in bytes.
     *
     * @return the item size
     */
    public long itemSize() {
        check();
        return Buffers.itemSize(view);
    }

    /**
     * The number of dimensions.
     *
     * @return the dimension count (0 for a scalar)
     */
    public int ndim() {
        check();
        return Buffers.ndim(view);
    }

    /**
     * The length of each dimension.
     *
     * @return a new array of {@link #ndim()} lengths
     */
    public long[] shape() {
        check();
        long[] shape = Buffers.shapeOrNull(view);
        if (shape == null) {
            return Buffers.ndim(view) == 0 ? new long[0] : new long[] {Buffers.len(view) / Buffers.itemSize(view)};
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
        int n = Buffers.ndim(view);
        long[] given = Buffers.stridesOrNull(view);
        if (given == null) {
            long[] shape = shape();
            long[] out = new long[n];
            long step = Buffers.itemSize(view);
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
        return Buffers.isCContiguous(view);
    }

    // --- copies in C (row-major) order: one bulk copy when contiguous, else following the strides ---

    /**
     * A copy of all items as doubles.
     *
     * @return the items in row-major order
     * @throws IllegalStateException if the item format is not a C double ({@code "d"})
     */
    public double[] toDoubleArray() {
        expect("d", 8, "double");
        double[] out = new double[Math.toIntExact(count())];
        copyAll(out, JAVA_DOUBLE_UNALIGNED, out.length,
                (src, off, i) -> out[i] = src.get(JAVA_DOUBLE_UNALIGNED, off));
        return out;
    }

    /**
     * A copy of all items as floats.
     *
     * @return the items in row-major order
     * @throws IllegalStateException if the item format is not a C float ({@code "f"})
     */
    public float[] toFloatArray() {
        expect("f", 4, "float");
        float[] out = new float[Math.toIntExact(count())];
        copyAll(out, JAVA_FLOAT_UNALIGNED, out.length,
                (src, off, i) -> out[i] = src.get(JAVA_FLOAT_UNALIGNED, off));
        return out;
    }

    /**
     * A copy of all items as longs.
     *
     * @return the items in row-major order
     * @throws IllegalStateException if the items are not signed 64-bit integers ({@code "q"}, or {@code "l"} of 8 bytes)
     */
    public long[] toLongArray() {
        expect("qln", 8, "signed 64-bit integer");
        long[] out = new long[Math.toIntExact(count())];
        copyAll(out, JAVA_LONG_UNALIGNED, out.length,
                (src, off, i) -> out[i] = src.get(JAVA_LONG_UNALIGNED, off));
        return out;
    }

    /**
     * A copy of all items as ints.
     *
     * @return the items in row-major order
     * @throws IllegalStateException if the items are not signed 32-bit integers ({@code "i"}, or {@code "l"} of 4 bytes)
     */
    public int[] toIntArray() {
        expect("il", 4, "signed 32-bit integer");
        int[] out = new int[Math.toIntExact(count())];
        copyAll(out, JAVA_INT_UNALIGNED, out.length,
                (src, off, i) -> out[i] = src.get(JAVA_INT_UNALIGNED, off));
        return out;
    }

    /**
     * A copy of all bytes of the items (any format), in row-major order.
     *
     * @return the bytes
     */
    public byte[] toByteArray() {
        check();
        long itemSize = itemSize();
        byte[] out = new byte[Math.toIntExact(count() * itemSize)];
        copyAll(out, JAVA_BYTE, out.length,
                (src, off, i) -> MemorySegment.copy(src, JAVA_BYTE, off, out, (int) (i * itemSize), (int) itemSize));
        return out;
    }

    /**
     * A copy of a two-dimensional array of doubles.
     *
     * @return {@code [rows][columns]}
     * @throws IllegalStateException if the view is not 2-D or not of doubles
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
            out[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    private long count() {
        long n = 1;
        for (long d : shape()) {
            n *= d;
        }
        return n;
    }

    private void expect(String codes, long size, String what) {
        check();
        String f = format();
        boolean prefixed = !f.isEmpty() && "@=<>!".indexOf(f.charAt(0)) >= 0;
        String code = prefixed ? f.substring(1) : f;
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        boolean nativeOrder = !prefixed || switch (f.charAt(0)) {
            case '<' -> little;
            case '>', '!' -> !little;
            default -> true;
        };
        if (code.length() != 1 || codes.indexOf(code.charAt(0)) < 0 || itemSize() != size || !nativeOrder) {
            throw new IllegalStateException("the buffer holds items of format '" + f + "' (" + itemSize()
                    + " bytes), not " + what + "s");
        }
    }

    /**
     * Fills {@code out}, an array of {@code layout}'s carrier type, with {@code count} items: one
     * bulk copy when the buffer is C-contiguous, else item by item with {@code strided}.
     */
    private void copyAll(Object out, ValueLayout layout, int count, ItemCopier strided) {
        if (Buffers.isCContiguous(view)) {
            MemorySegment.copy(segment(), layout, 0, out, 0, count);
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
        long[] shape = shape();
        long[] strides = strides();
        long itemSize = itemSize();
        long total = count();
        if (total == 0) {
            return;
        }
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
        MemorySegment base = MemorySegment.ofAddress(Buffers.buf(view) + min)
                .reinterpret(max - min + itemSize, arena, null);
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
        try {
            Buffers.release(view);
        } finally {
            arena.close();
        }
    }
}
