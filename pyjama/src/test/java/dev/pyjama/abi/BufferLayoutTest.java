package dev.pyjama.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyjama.ffi.Py_buffer;
import dev.pyjama.internal.abi.Buffers;
import org.junit.jupiter.api.Test;

/**
 * The {@code Py_buffer} offsets the abi layer writes out ({@link Buffers.Layout}) are the ones
 * jextract read from {@code Include/pybuffer.h}.
 */
class BufferLayoutTest {

    @Test
    void theWrittenOutOffsetsAreTheGeneratedLayouts() {
        assertEquals(Py_buffer.sizeof(), Buffers.Layout.SIZE);
        assertEquals(Py_buffer.buf$offset(), Buffers.Layout.BUF);
        assertEquals(Py_buffer.len$offset(), Buffers.Layout.LEN);
        assertEquals(Py_buffer.itemsize$offset(), Buffers.Layout.ITEMSIZE);
        assertEquals(Py_buffer.readonly$offset(), Buffers.Layout.READONLY);
        assertEquals(Py_buffer.ndim$offset(), Buffers.Layout.NDIM);
        assertEquals(Py_buffer.format$offset(), Buffers.Layout.FORMAT);
        assertEquals(Py_buffer.shape$offset(), Buffers.Layout.SHAPE);
        assertEquals(Py_buffer.strides$offset(), Buffers.Layout.STRIDES);
        assertEquals(Py_buffer.suboffsets$offset(), Buffers.Layout.SUBOFFSETS);
    }
}
