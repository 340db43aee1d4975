package dev.pyjama.buffers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyBuffer;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBufferError;
import dev.pyjama.exceptions.PyTypeError;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** PyBuffer: zero-copy views both ways, strides, formats, lifetimes. numpy cases run where numpy is installed. */
class BufferTest {

    private static Optional<PyModule> numpy(Python py) {
        try {
            return Optional.of(py.importModule("numpy"));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Test
    void bytesAndBytearrayAreViewedInPlace() {
        Python.attach(py -> {
            PyObject bytes = py.bytes(new byte[] {1, 0, 2, 0, 3});
            try (PyBuffer b = bytes.buffer()) {
                assertEquals("B", b.format());
                assertEquals(1, b.itemSize());
                assertArrayEquals(new long[] {5}, b.shape());
                assertTrue(b.isReadOnly());
                MemorySegment s = b.segment();
                assertEquals(5, s.byteSize());
                assertEquals(2, s.get(ValueLayout.JAVA_BYTE, 2));
                assertThrows(IllegalArgumentException.class, () -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 9));
            }
            assertThrows(PyBufferError.class, () -> bytes.buffer(true));
            PyObject array = py.byteArray(new byte[] {0, 0, 0});
            try (PyBuffer b = array.buffer(true)) {
                b.segment().set(ValueLayout.JAVA_BYTE, 1, (byte) 7);
                // While exported, Python cannot resize the bytearray: Java's segment stays valid.
                assertThrows(PyBufferError.class, () -> py.eval("lambda b: b.extend(b'xx')").call(array));
            }
            assertEquals("bytearray(b'\\x00\\x07\\x00')", array.repr());
            py.eval("lambda b: b.extend(b'xx')").call(array); // allowed once the view ended
            assertThrows(PyTypeError.class, () -> py.integer(3).buffer());
            return null;
        });
    }

    @Test
    void arrayModuleFormatsAndCopies() {
        Python.attach(py -> {
            PyObject doubles = py.arrayOf(new double[] {1.5, -0.0, Double.NaN});
            try (PyBuffer b = doubles.buffer()) {
                assertEquals("d", b.format());
                double[] back = b.toDoubleArray();
                assertEquals(1.5, back[0]);
                assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back[1]));
                assertTrue(Double.isNaN(back[2]));
                assertThrows(IllegalStateException.class, b::toLongArray, "format is checked");
            }
            assertArrayEquals(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE},
                    viewLongs(py.arrayOf(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE})));
            try (PyBuffer b = py.arrayOf(new int[] {7, -8}).buffer()) {
                assertArrayEquals(new int[] {7, -8}, b.toIntArray());
            }
            try (PyBuffer b = py.arrayOf(new float[] {0.25f}).buffer()) {
                assertArrayEquals(new float[] {0.25f}, b.toFloatArray());
            }
            assertEquals("[1.5, -0.0, nan]", py.eval("lambda a: repr(a.tolist())").call(doubles).toJava(String.class)
                    .replace("'", ""));
            return null;
        });
    }

    private static long[] viewLongs(PyObject o) {
        try (PyBuffer b = o.buffer()) {
            return b.toLongArray();
        }
    }

    @Test
    void closedViewsThrowInsteadOfReadingFreedMemory() {
        Python.attach(py -> {
            PyBuffer b = py.newBuffer(64);
            MemorySegment s = b.segment();
            s.set(ValueLayout.JAVA_LONG, 0, 42L);
            PyObject owner = b.owner();
            b.close();
            b.close(); // idempotent
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_LONG, 0));
            assertThrows(IllegalStateException.class, b::segment);
            // Python keeps the memory it owns and still reads what Java wrote.
            assertEquals(42L, py.eval("lambda b: int.from_bytes(b[:8], 'little')").call(owner).toJava(long.class));
            return null;
        });
        MemorySegment[] escaped = new MemorySegment[1];
        Python.attach(py -> {
            escaped[0] = py.newBuffer(16).segment();
            return null;
        });
        assertThrows(IllegalStateException.class, () -> escaped[0].get(ValueLayout.JAVA_BYTE, 0),
                "a view ends with its scope");
    }

    @Test
    void numpyArraysOfAnyDtypeAndStrides() {
        Python.attach(py -> {
            PyModule np = numpy(py).orElse(null);
            Assumptions.assumeTrue(np != null, "numpy is not installed in this Python");
            PyObject m = np.callMethod("arange", 12.0).callMethod("reshape", 3, 4);
            try (PyBuffer b = m.buffer()) {
                assertArrayEquals(new long[] {3, 4}, b.shape());
                assertArrayEquals(new long[] {32, 8}, b.strides());
                assertEquals(96, b.segment().byteSize());
                assertEquals(5.0, b.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 5));
            }
            try (PyBuffer t = m.getAttr("T").buffer()) {
                assertFalse(t.isCContiguous());
                assertThrows(IllegalStateException.class, t::segment);
                assertArrayEquals(new double[] {0, 4, 8}, t.toDoubleMatrix()[0]);
            }
            try (PyBuffer r = py.eval("__import__('numpy').arange(6, dtype='int32')[::-2]").buffer()) {
                assertArrayEquals(new int[] {5, 3, 1}, r.toIntArray());
            }
            // Java memory to numpy without a copy: numpy sees Java's writes.
            PyBuffer shared = py.newBuffer(8 * 1000);
            PyObject view = np.callMethod("frombuffer", shared.owner(), "float64");
            for (int i = 0; i < 1000; i++) {
                shared.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, i, i);
            }
            assertEquals(499500.0, view.callMethod("sum").toJava(double.class));
            shared.close();
            assertEquals(499500.0, view.callMethod("sum").toJava(double.class), "numpy keeps the memory alive");
            return null;
        });
    }

    @Test
    void twoDimensionalArraysBothWays() {
        Python.attach(py -> {
            PyObject m = py.arrayOf(new double[][] {{1, 2, 3}, {4, 5, 6}});
            try (PyBuffer b = m.buffer()) {
                assertArrayEquals(new long[] {2, 3}, b.shape());
                assertArrayEquals(new double[] {4, 5, 6}, b.toDoubleMatrix()[1]);
            }
            assertThrows(IllegalArgumentException.class, () -> py.arrayOf(new double[][] {{1}, {2, 3}}));
            PyModule np = numpy(py).orElse(null);
            if (np != null) {
                assertEquals("(2, 3)", np.callMethod("asarray", m).getAttr("shape").repr());
            }
            return null;
        });
    }
}
