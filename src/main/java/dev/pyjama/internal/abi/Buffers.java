package dev.pyjama.internal.abi;

import dev.pyjama.ffi.Py_buffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The buffer protocol (PEP 3118): {@code PyObject_GetBuffer} / {@code PyBuffer_Release}. The
 * {@code Py_buffer} struct is the same on every CPython 3.10+ (it is in the stable ABI from 3.11 and
 * exported, unchanged, by 3.10). The caller holds the GIL.
 */
public final class Buffers {

    private Buffers() {}

    /**
     * Fills a new {@code Py_buffer} (allocated in {@code arena}) with a strided, formatted view of
     * {@code exporter}; writable when asked. Throws the exporter's BufferError when it cannot.
     */
    public static MemorySegment get(long exporter, boolean writable, Arena arena) {
        MemorySegment view = Py_buffer.allocate(arena);
        int flags = writable ? CApi.PyBUF_STRIDES | CApi.PyBUF_FORMAT | CApi.PyBUF_WRITABLE
                : CApi.PyBUF_RECORDS_RO;
        CApi.checkInt(Symbol.PyObject_GetBuffer.call(exporter, view.address(), flags));
        return view;
    }

    /** Ends the view: the exporter may move or free its memory afterwards. */
    public static void release(MemorySegment view) {
        Symbol.PyBuffer_Release.call(view.address());
    }

    /** Whether the view is C-contiguous. */
    public static boolean isCContiguous(MemorySegment view) {
        return Symbol.PyBuffer_IsContiguous.call(view.address(), (byte) 'C') != 0;
    }

    /** {@code buf}: the address of the data. */
    public static long buf(MemorySegment view) {
        return Py_buffer.buf(view).address();
    }

    /** {@code len}: the data's size in bytes. */
    public static long len(MemorySegment view) {
        return Py_buffer.len(view);
    }

    /** {@code itemsize}. */
    public static long itemSize(MemorySegment view) {
        return Py_buffer.itemsize(view);
    }

    /** {@code readonly}. */
    public static boolean readOnly(MemorySegment view) {
        return Py_buffer.readonly(view) != 0;
    }

    /** {@code ndim}. */
    public static int ndim(MemorySegment view) {
        return Py_buffer.ndim(view);
    }

    /** {@code format}, "B" when the exporter gives none. */
    public static String format(MemorySegment view) {
        MemorySegment f = Py_buffer.format(view);
        return f.address() == 0 ? "B" : f.reinterpret(64).getString(0);
    }

    /** {@code shape}, or null when the exporter gives none (one dimension of len / itemsize). */
    public static long[] shapeOrNull(MemorySegment view) {
        MemorySegment s = Py_buffer.shape(view);
        return s.address() == 0 ? null : s.reinterpret(8L * ndim(view)).toArray(java.lang.foreign.ValueLayout.JAVA_LONG);
    }

    /** {@code strides}, or null when the exporter gives none (C-contiguous). */
    public static long[] stridesOrNull(MemorySegment view) {
        MemorySegment s = Py_buffer.strides(view);
        return s.address() == 0 ? null : s.reinterpret(8L * ndim(view)).toArray(java.lang.foreign.ValueLayout.JAVA_LONG);
    }
}
