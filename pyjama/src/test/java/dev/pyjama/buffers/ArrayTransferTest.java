package dev.pyjama.buffers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyBuffer;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.testing.PyTesting;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Java arrays to Python ({@code py.arrayOf}, every primitive type, 1-D and 2-D) and Python buffers
 * back into Java arrays ({@code toDoubleArray(into)} and the other overloads, {@code copyTo}), through
 * the public API. numpy cases run where numpy is installed; without it they say so and skip.
 */
class ArrayTransferTest {

    private static Optional<PyModule> numpy(Python py) {
        try {
            return Optional.of(py.importModule("numpy"));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String describe(Python py, PyObject o) {
        return py.eval("lambda m: f'{type(m).__name__} {m.format} {m.itemsize} {m.shape} {m.tolist()}'").call(o)
                .toJava(String.class);
    }

    @Test
    void everyPrimitiveTypeOneDimensional() {
        Python.attach(py -> {
            assertEquals("memoryview d 8 (3,) [1.5, -0.0, inf]", describe(py, py.arrayOf(new double[] {1.5, -0.0, Double.POSITIVE_INFINITY})));
            assertEquals("memoryview f 4 (2,) [0.25, -2.0]", describe(py, py.arrayOf(new float[] {0.25f, -2f})));
            assertEquals("memoryview q 8 (3,) [-9223372036854775808, 0, 9223372036854775807]",
                    describe(py, py.arrayOf(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE})));
            assertEquals("memoryview i 4 (2,) [-2147483648, 7]", describe(py, py.arrayOf(new int[] {Integer.MIN_VALUE, 7})));
            assertEquals("memoryview h 2 (2,) [-32768, 32767]", describe(py, py.arrayOf(new short[] {Short.MIN_VALUE, Short.MAX_VALUE})));
            assertEquals("memoryview b 1 (3,) [-128, 0, 127]", describe(py, py.arrayOf(new byte[] {-128, 0, 127})));
            assertEquals("memoryview H 2 (2,) [65, 65535]", describe(py, py.arrayOf(new char[] {'A', '\uffff'})));
            assertEquals("memoryview ? 1 (3,) [True, False, True]", describe(py, py.arrayOf(new boolean[] {true, false, true})));
            assertEquals("memoryview d 8 (0,) []", describe(py, py.arrayOf(new double[0])));
            // Writable, and Python-owned: Python may change it.
            PyObject a = py.arrayOf(new long[] {1, 2, 3});
            py.eval("lambda m: m.__setitem__(0, 42)").call(a);
            try (PyBuffer b = a.buffer()) {
                assertArrayEquals(new long[] {42, 2, 3}, b.toLongArray());
            }
            assertThrows(NullPointerException.class, () -> py.arrayOf((double[]) null));
            return null;
        });
    }

    @Test
    void everyPrimitiveTypeTwoDimensional() {
        Python.attach(py -> {
            assertEquals("memoryview d 8 (2, 3) [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]",
                    describe(py, py.arrayOf(new double[][] {{1, 2, 3}, {4, 5, 6}})));
            assertEquals("memoryview f 4 (1, 2) [[0.5, 1.5]]", describe(py, py.arrayOf(new float[][] {{0.5f, 1.5f}})));
            assertEquals("memoryview q 8 (2, 1) [[-1], [1]]", describe(py, py.arrayOf(new long[][] {{-1}, {1}})));
            assertEquals("memoryview i 4 (2, 2) [[1, 2], [3, 4]]", describe(py, py.arrayOf(new int[][] {{1, 2}, {3, 4}})));
            assertEquals("memoryview h 2 (1, 2) [[-1, 2]]", describe(py, py.arrayOf(new short[][] {{-1, 2}})));
            assertEquals("memoryview b 1 (2, 2) [[-1, 2], [3, -4]]", describe(py, py.arrayOf(new byte[][] {{-1, 2}, {3, -4}})));
            assertEquals("memoryview H 2 (1, 2) [[104, 105]]", describe(py, py.arrayOf(new char[][] {{'h', 'i'}})));
            assertEquals("memoryview ? 1 (2, 1) [[True], [False]]", describe(py, py.arrayOf(new boolean[][] {{true}, {false}})));
            assertEquals("memoryview d 8 (0, 0) []", describe(py, py.arrayOf(new double[0][])));
            assertEquals("memoryview i 4 (2, 0) [[], []]", describe(py, py.arrayOf(new int[][] {{}, {}})));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> py.arrayOf(new long[][] {{1, 2}, {3}}));
            assertTrue(e.getMessage().contains("row 1 has 1 values, row 0 has 2"), e.getMessage());
            assertThrows(NullPointerException.class, () -> py.arrayOf(new int[][] {{1}, null}));
            return null;
        });
    }

    @Test
    void numpySeesTheSameMemoryWithTheRightDtype() {
        Python.attach(py -> {
            PyModule np = numpy(py).orElse(null);
            Assumptions.assumeTrue(np != null, "numpy is not installed in this Python");
            PyObject asarray = np.getAttr("asarray");
            PyObject dtype = py.eval("lambda a: f'{a.dtype} {a.shape}'");
            assertEquals("float64 (3,)", dtype.call(asarray.call(py.arrayOf(new double[] {1, 2, 3}))).toJava(String.class));
            assertEquals("int64 (1,)", dtype.call(asarray.call(py.arrayOf(new long[] {1}))).toJava(String.class));
            assertEquals("int32 (1,)", dtype.call(asarray.call(py.arrayOf(new int[] {1}))).toJava(String.class));
            assertEquals("float32 (1,)", dtype.call(asarray.call(py.arrayOf(new float[] {1}))).toJava(String.class));
            assertEquals("int16 (1,)", dtype.call(asarray.call(py.arrayOf(new short[] {1}))).toJava(String.class));
            assertEquals("int8 (1,)", dtype.call(asarray.call(py.arrayOf(new byte[] {1}))).toJava(String.class));
            assertEquals("uint16 (1,)", dtype.call(asarray.call(py.arrayOf(new char[] {'x'}))).toJava(String.class));
            assertEquals("bool (2,)", dtype.call(asarray.call(py.arrayOf(new boolean[] {true, false}))).toJava(String.class));
            assertEquals("float64 (2, 2)", dtype.call(asarray.call(py.arrayOf(new double[][] {{1, 2}, {3, 4}}))).toJava(String.class));
            PyObject m = py.arrayOf(new double[] {1, 2, 3});
            PyObject a = asarray.call(m);
            assertTrue(py.eval("lambda a, m: __import__('numpy').shares_memory(a, m)").call(a, m).isTruthy(),
                    "numpy.asarray does not copy");
            assertEquals(6.0, a.callMethod("sum").toJava(double.class));
            return null;
        });
    }

    @Test
    void aPythonConsumerKeepsTheArrayAfterTheJavaScopeCloses() {
        Python.attach(py -> {
            py.run("_kept = []\n");
            return null;
        });
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Python.attach(py -> {
            PyObject a = py.arrayOf(values);
            py.eval("_kept.append").call(a);
            PyModule np = numpy(py).orElse(null);
            if (np != null) {
                py.eval("_kept.append").call(np.callMethod("asarray", py.arrayOf(new long[][] {{1, 2}, {3, 4}})));
            }
            a.close(); // Java lets go; Python still holds it
            return null;
        });
        values[0] = -1; // the Python copy is independent of the Java array
        Python.attach(py -> {
            assertEquals(4999950000.0, py.eval("sum(_kept[0])").toJava(double.class));
            assertEquals(0.0, py.eval("_kept[0][0]").toJava(double.class));
            if (numpy(py).isPresent()) {
                assertEquals(10L, py.eval("int(_kept[1].sum())").toJava(long.class));
            }
            py.run("_kept.clear()\n");
            return null;
        });
    }

    @Test
    void closingTheResultReleasesItsOnlyReference() {
        Python.attach(py -> {
            py.run("import sys\n");
            PyObject a = py.arrayOf(new double[] {1, 2});
            PyObject owner = py.eval("lambda m: m.obj").call(a);
            assertEquals("bytearray", owner.type().getAttr("__name__").toJava(String.class));
            long held = PyTesting.refcount(py, owner);
            a.close(); // the handle held the memoryview's only reference
            assertEquals(held - 1, PyTesting.refcount(py, owner), "freeing the memoryview released the bytearray");
            owner.callMethod("extend", new byte[] {1}); // no export left: it may be resized again
            return null;
        });
    }

    @Test
    void buffersIntoKeptArraysOfEveryType() {
        Python.attach(py -> {
            double[] d = new double[5];
            try (PyBuffer b = py.arrayOf(new double[] {1, 2, 3}).buffer()) {
                assertEquals(3, b.itemCount());
                assertSame(d, b.toDoubleArray(d));
                assertArrayEquals(new double[] {1, 2, 3, 0, 0}, d);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.toDoubleArray(new double[2]));
                assertTrue(e.getMessage().contains("holds 3 items"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> b.toLongArray(new long[3]), "the format is checked");
                assertThrows(NullPointerException.class, () -> b.toDoubleArray(null));
            }
            try (PyBuffer b = py.arrayOf(new float[] {1.5f}).buffer()) {
                assertArrayEquals(new float[] {1.5f}, b.toFloatArray(new float[1]));
                assertArrayEquals(new float[] {1.5f}, b.toFloatArray());
            }
            try (PyBuffer b = py.arrayOf(new long[] {Long.MIN_VALUE}).buffer()) {
                assertArrayEquals(new long[] {Long.MIN_VALUE}, b.toLongArray(new long[1]));
            }
            try (PyBuffer b = py.arrayOf(new int[] {-7}).buffer()) {
                assertArrayEquals(new int[] {-7}, b.toIntArray(new int[1]));
            }
            try (PyBuffer b = py.arrayOf(new short[] {-3, 4}).buffer()) {
                assertArrayEquals(new short[] {-3, 4}, b.toShortArray(new short[2]));
                assertArrayEquals(new short[] {-3, 4}, b.toShortArray());
            }
            try (PyBuffer b = py.arrayOf(new char[] {'o', 'k'}).buffer()) {
                assertArrayEquals(new char[] {'o', 'k'}, b.toCharArray(new char[2]));
                assertArrayEquals(new char[] {'o', 'k'}, b.toCharArray());
            }
            try (PyBuffer b = py.arrayOf(new boolean[] {true, false, true}).buffer()) {
                assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray(new boolean[3]));
                assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray());
            }
            try (PyBuffer b = py.arrayOf(new int[] {0x01020304}).buffer()) {
                byte[] raw = b.toByteArray(new byte[6]);
                assertEquals(4, b.toByteArray().length);
                assertEquals(java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? 4 : 1, raw[0]);
                assertThrows(IllegalArgumentException.class, () -> b.toByteArray(new byte[3]));
            }
            // A 2-D view copies in row-major order.
            try (PyBuffer b = py.arrayOf(new long[][] {{1, 2}, {3, 4}}).buffer()) {
                assertEquals(4, b.itemCount());
                assertArrayEquals(new long[] {1, 2, 3, 4}, b.toLongArray(new long[4]));
            }
            return null;
        });
    }

    @Test
    void stridedBuffersIntoKeptArrays() {
        Python.attach(py -> {
            // Without numpy: a memoryview slice with a step is strided.
            PyObject every2nd = py.eval("lambda m: m[::2]").call(py.arrayOf(new long[] {0, 1, 2, 3, 4}));
            try (PyBuffer b = every2nd.buffer()) {
                assertFalse(b.isCContiguous());
                assertArrayEquals(new long[] {0, 2, 4}, b.toLongArray(new long[3]));
                assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 0},
                        java.util.Arrays.copyOfRange(b.toByteArray(), 8, 16), "bytes follow the strides too");
            }
            PyObject reversed = py.eval("lambda m: m[::-1]").call(py.arrayOf(new double[] {1, 2, 3}));
            try (PyBuffer b = reversed.buffer()) {
                assertArrayEquals(new double[] {3, 2, 1}, b.toDoubleArray(new double[3]));
            }
            return null;
        });
    }

    @Test
    void bytesIntoByteBuffers() {
        Python.attach(py -> {
            byte[] data = new byte[1000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7);
            }
            PyObject bytes = py.bytes(data);
            for (ByteBuffer target : new ByteBuffer[] {ByteBuffer.allocate(1010), ByteBuffer.allocateDirect(1010)}) {
                target.position(5);
                try (PyBuffer b = bytes.buffer()) {
                    assertSame(target, b.copyTo(target));
                }
                assertEquals(1005, target.position());
                byte[] back = new byte[1000];
                target.get(5, back);
                assertArrayEquals(data, back);
                try (PyBuffer b = bytes.buffer()) {
                    assertThrows(BufferOverflowException.class, () -> b.copyTo(target), "5 bytes remain");
                    assertThrows(ReadOnlyBufferException.class, () -> b.copyTo(ByteBuffer.allocate(2000).asReadOnlyBuffer()));
                }
            }
            try (PyBuffer b = py.eval("lambda m: m[::-2]").call(py.arrayOf(new short[] {1, 2, 3})).buffer()) {
                ByteBuffer target = ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder());
                b.copyTo(target);
                assertEquals(3, target.getShort(0));
                assertEquals(1, target.getShort(2));
            }
            return null;
        });
    }

    @Test
    void bytesAndByteArraysBothWaysInOneCopy() {
        Python.attach(py -> {
            byte[] data = new byte[5 << 20]; // large enough for the huge-page advice
            for (int i = 0; i < data.length; i += 4096) {
                data[i] = (byte) (i >> 12);
            }
            data[data.length - 1] = 9;
            assertArrayEquals(data, py.bytes(data).toByteArray());
            assertArrayEquals(data, py.byteArray(data).toByteArray());
            assertArrayEquals(data, py.toPython(data).toJava(byte[].class));
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
            direct.position(10).limit(20);
            PyObject slice = py.toPython(direct);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 20), slice.toJava(byte[].class));
            assertEquals(10, direct.position(), "the ByteBuffer's position is not moved");
            assertArrayEquals(new byte[0], py.bytes(new byte[0]).toByteArray());
            assertEquals("bytes", py.toPython(ByteBuffer.allocate(3)).type().getAttr("__name__").toJava(String.class));
            return null;
        });
    }

    @Test
    void toJavaArraysCopyBuffersInBulk() {
        Python.attach(py -> {
            // array.array and memoryview: one bulk copy when the items are the Java type.
            assertArrayEquals(new double[] {1.5, 2.5}, py.eval("__import__('array').array('d', [1.5, 2.5])").toJava(double[].class));
            assertArrayEquals(new long[] {1, -2}, py.arrayOf(new long[] {1, -2}).toJava(long[].class));
            assertArrayEquals(new int[] {3}, py.arrayOf(new int[] {3}).toJava(int[].class));
            assertArrayEquals(new short[] {3}, py.arrayOf(new short[] {3}).toJava(short[].class));
            assertArrayEquals(new boolean[] {true, false}, py.arrayOf(new boolean[] {true, false}).toJava(boolean[].class));
            assertArrayEquals(new float[] {0.5f}, py.arrayOf(new float[] {0.5f}).toJava(float[].class));
            // Another item type converts item by item, as before: int32 items into a long[].
            assertArrayEquals(new long[] {3, 4}, py.arrayOf(new int[] {3, 4}).toJava(long[].class));
            // Strided: item by item too.
            assertArrayEquals(new long[] {3, 1}, py.eval("lambda m: m[::-2]").call(py.arrayOf(new long[] {1, 2, 3}))
                    .toJava(long[].class));
            PyModule np = numpy(py).orElse(null);
            if (np != null) {
                assertArrayEquals(new double[] {0, 1, 2}, np.callMethod("arange", 3.0).toJava(double[].class));
                assertArrayEquals(new long[] {0, 1, 2}, py.eval("__import__('numpy').arange(3, dtype='int64')").toJava(long[].class));
                assertArrayEquals(new double[] {0, 1, 2}, py.eval("__import__('numpy').arange(3, dtype='>f8')").toJava(double[].class),
                        "byte-swapped items convert one by one");
            }
            return null;
        });
    }

    @Test
    void aBufferTooLargeForJavaIsAnException() {
        Python.attach(py -> {
            PyModule np = numpy(py).orElse(null);
            Assumptions.assumeTrue(np != null, "numpy is not installed in this Python (it makes a 2**40-item view of one float)");
            PyObject huge = py.eval("__import__('numpy').lib.stride_tricks.as_strided(__import__('numpy').zeros(1), "
                    + "shape=(2**40,), strides=(0,))");
            try (PyBuffer b = huge.buffer()) {
                assertEquals(1L << 40, b.itemCount());
                assertThrows(IllegalStateException.class, b::toDoubleArray);
                assertThrows(IllegalArgumentException.class, () -> b.toDoubleArray(new double[10]));
            }
            assertThrows(IllegalStateException.class, () -> huge.toJava(double[].class));
            return null;
        });
    }
}
