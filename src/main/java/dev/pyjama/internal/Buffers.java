package dev.pyjama.internal;

import dev.pyjama.ffi.LibPython;
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
        int flags = writable ? LibPython.PyBUF_STRIDES() | LibPython.PyBUF_FORMAT() | LibPython.PyBUF_WRITABLE()
                : LibPython.PyBUF_RECORDS_RO();
        CApi.checkInt(LibPython.PyObject_GetBuffer(CApi.p(exporter), view, flags));
        return view;
    }

    /** Ends the view: the exporter may move or free its memory afterwards. */
    public static void release(MemorySegment view) {
        LibPython.PyBuffer_Release(view);
    }

    /** Whether the view is C-contiguous. */
    public static boolean isCContiguous(MemorySegment view) {
        return LibPython.PyBuffer_IsContiguous(view, (byte) 'C') != 0;
    }
}
