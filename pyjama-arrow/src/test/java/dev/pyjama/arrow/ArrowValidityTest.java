package dev.pyjama.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Validity buffers on import: a column that came without one (no nulls) gets a private mapping of
 * {@link SharedOnes} (O(1), nothing from Arrow Java's allocator, copy on write), one that came with
 * one keeps the producer's in place. The producer is a few lines of ctypes (no data package), so
 * this runs on every interpreter, 3.13t included; the pyarrow case is skipped where it is missing.
 */
class ArrowValidityTest {

    /**
     * {@code _pjt_table(n, k, nulls)}: an object with {@code __arrow_c_array__} giving a struct
     * array of {@code k} int8 columns of {@code n} rows, all zeros; with {@code nulls}, each column
     * has a validity bitmap where every third row is null (null_count -1, "unknown"), else none.
     * {@code _pjt_live} holds what an exported array keeps alive until its release runs.
     */
    private static final String PRODUCER = """
            import ctypes
            if '_pjt_table' not in globals():
                _vp, _i64 = ctypes.c_void_p, ctypes.c_int64
                class _PjtSchema(ctypes.Structure):
                    _fields_ = [('format', ctypes.c_char_p), ('name', ctypes.c_char_p), ('metadata', _vp),
                                ('flags', _i64), ('n_children', _i64), ('children', _vp), ('dictionary', _vp),
                                ('release', _vp), ('private_data', _vp)]
                class _PjtArray(ctypes.Structure):
                    _fields_ = [('length', _i64), ('null_count', _i64), ('offset', _i64), ('n_buffers', _i64),
                                ('n_children', _i64), ('buffers', _vp), ('children', _vp), ('dictionary', _vp),
                                ('release', _vp), ('private_data', _vp)]
                _pjt_live = {}
                _pjt_ids = [0]
                _PJT_NAMES = (b'arrow_schema', b'arrow_array')
                _pjt_capsule = ctypes.pythonapi.PyCapsule_New
                _pjt_capsule.argtypes = (_vp, ctypes.c_char_p, _vp)
                _pjt_capsule.restype = ctypes.py_object

                def _pjt_releaser(kind):
                    def release(p):
                        s = kind.from_address(p)
                        for i in range(s.n_children):
                            c = kind.from_address(ctypes.cast(s.children, ctypes.POINTER(_vp))[i])
                            c.release = None
                        _pjt_live.pop(s.private_data or 0, None)
                        s.release = None
                    return ctypes.CFUNCTYPE(None, _vp)(release)
                _PJT_RELEASE = (_pjt_releaser(_PjtSchema), _pjt_releaser(_PjtArray))

                def _pjt_keep(keep):
                    _pjt_ids[0] += 1
                    _pjt_live[_pjt_ids[0]] = keep
                    return _pjt_ids[0]

                class _pjt_table:
                    def __init__(self, n, k, nulls):
                        self.n, self.k, self.nulls = n, k, nulls
                        self.data = (ctypes.c_int8 * n)()
                        if nulls:
                            bits = bytearray((n + 7) // 8)
                            for i in range(n):
                                if i % 3:
                                    bits[i >> 3] |= 1 << (i & 7)
                            self.bitmap = (ctypes.c_uint8 * len(bits)).from_buffer_copy(bits)
                        self.exported = []

                    def bitmap_address(self):
                        return ctypes.addressof(self.bitmap)

                    def __arrow_c_array__(self, requested_schema=None):
                        n, k = self.n, self.k
                        rs, ra = (ctypes.cast(f, _vp).value for f in _PJT_RELEASE)
                        kids = [_PjtSchema(b'c', b'c%d' % i, None, 2, 0, None, None, rs, None) for i in range(k)]
                        kidp = (_vp * k)(*(ctypes.addressof(c) for c in kids))
                        schema = _PjtSchema(b'+s', b'', None, 0, k, ctypes.addressof(kidp), None, rs, None)
                        schema.private_data = _pjt_keep((kids, kidp, schema))
                        validity = ctypes.addressof(self.bitmap) if self.nulls else None
                        bufs = (_vp * 2)(validity, ctypes.addressof(self.data))
                        arrays = [_PjtArray(n, -1 if self.nulls else 0, 0, 2, 0, ctypes.addressof(bufs), None, None, ra, None)
                                  for i in range(k)]
                        arrp = (_vp * k)(*(ctypes.addressof(a) for a in arrays))
                        top_bufs = (_vp * 1)(None)
                        array = _PjtArray(n, 0, 0, 1, k, ctypes.addressof(top_bufs), ctypes.addressof(arrp), None, ra, None)
                        array.private_data = _pjt_keep((self, bufs, arrays, arrp, top_bufs, array))
                        return (_pjt_capsule(ctypes.addressof(schema), _PJT_NAMES[0], None),
                                _pjt_capsule(ctypes.addressof(array), _PJT_NAMES[1], None))
            """;

    @BeforeAll
    static void producer() {
        Python.attach(py -> {
            py.run(PRODUCER);
            return null;
        });
    }

    @BeforeEach
    void noPooledMapping() {
        SharedOnes.trim(); // mappings other tests gave back, so that these count only their own
    }

    private static boolean linux() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }

    /** Mappings of the shared all-ones memfd in this process now. */
    private static long onesMappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("memfd:" + SharedOnes.NAME)).count();
        }
    }

    private static int live(Python py) {
        return (int) (long) py.eval("len(_pjt_live)").toJava(long.class);
    }

    private static ArrowReader read(Python py, long n, int k, boolean nulls, BufferAllocator allocator) {
        try (PyObject t = py.eval("_pjt_table(" + n + ", " + k + ", " + (nulls ? "True" : "False") + ")")) {
            return Arrow.reader(t, allocator);
        }
    }

    @Test
    void anAllValidColumnOfTenMillionRowsTakesNothingFromTheAllocator() throws Exception {
        assumeTrue(linux(), "the shared all-ones bitmap is Linux only (elsewhere Arrow Java allocates it)");
        int n = 10_000_003; // not a multiple of 8: the last byte is partly used
        try (var allocator = new RootAllocator(); var py = Python.attach();
                ArrowReader reader = read(py, n, 1, false, allocator)) {
            assertTrue(reader.loadNextBatch());
            FieldVector v = reader.getVectorSchemaRoot().getVector(0);
            assertEquals(n, v.getValueCount());
            long javaBytes = allocator.getAllocatedMemory();
            assertTrue(javaBytes < 64 * 1024, javaBytes + " bytes from Arrow Java's allocator for a column without nulls");
            assertEquals(0, v.getNullCount());
            ArrowBuf validity = v.getValidityBuffer();
            assertEquals((n + 7) / 8, validity.capacity());
            for (long i = 0; i < n / 8; i++) {
                if (validity.getByte(i) != (byte) 0xFF) {
                    throw new AssertionError("validity byte " + i + " is " + validity.getByte(i));
                }
            }
            assertFalse(v.isNull(0));
            assertFalse(v.isNull(n - 1));
            assertEquals(1, onesMappings(), "one private mapping for the one column");
        }
        assertEquals(1, SharedOnes.trim(), "the clean mapping was kept for reuse");
        assertEquals(0, onesMappings(), "and is gone once the pool is trimmed");
    }

    @Test
    void aNullSetInOneImportedColumnShowsInNoOtherColumnNorLaterImport() throws Exception {
        int n = 100_000;
        try (var allocator = new RootAllocator(); var py = Python.attach();
                ArrowReader a = read(py, n, 2, false, allocator); ArrowReader b = read(py, n, 1, false, allocator)) {
            assertTrue(a.loadNextBatch());
            assertTrue(b.loadNextBatch());
            VectorSchemaRoot ra = a.getVectorSchemaRoot();
            FieldVector a0 = ra.getVector(0), a1 = ra.getVector(1), b0 = b.getVectorSchemaRoot().getVector(0);
            assertNotEquals(a0.getValidityBuffer().memoryAddress(), a1.getValidityBuffer().memoryAddress());
            a0.setNull(5);
            a0.setNull(n - 1);
            assertTrue(a0.isNull(5));
            assertTrue(a0.isNull(n - 1));
            assertEquals(2, a0.getNullCount());
            assertFalse(a1.isNull(5), "a column of the same batch");
            assertFalse(a1.isNull(n - 1));
            assertEquals(0, a1.getNullCount());
            assertFalse(b0.isNull(5), "a column imported before the write");
            assertEquals(0, b0.getNullCount());
            try (ArrowReader c = read(py, n, 1, false, allocator)) {
                assertTrue(c.loadNextBatch());
                FieldVector c0 = c.getVectorSchemaRoot().getVector(0);
                assertFalse(c0.isNull(5), "a column imported after the write");
                assertFalse(c0.isNull(n - 1));
                assertEquals(0, c0.getNullCount());
            }
            a.close(); // the written mapping is released: it must not come back from the pool
            for (int i = 0; i < 3; i++) {
                try (ArrowReader d = read(py, n, 2, false, allocator)) {
                    assertTrue(d.loadNextBatch());
                    for (FieldVector d0 : d.getVectorSchemaRoot().getFieldVectors()) {
                        assertFalse(d0.isNull(5), "a column imported after the written one was closed");
                        assertFalse(d0.isNull(n - 1));
                        assertEquals(0, d0.getNullCount());
                    }
                }
            }
        }
    }

    @Test
    void twoThousandImportsAndClosesLeaveNoMappingAndNoBuffer() throws Exception {
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            int liveBefore = live(py);
            long before = linux() ? onesMappings() : 0;
            try (ArrowReader r = read(py, 50_000, 4, false, allocator)) {
                assertTrue(r.loadNextBatch());
                if (linux()) {
                    assertEquals(before + 4, onesMappings(), "one mapping per open column");
                }
            }
            for (int i = 0; i < 2_000; i++) {
                try (ArrowReader r = read(py, 50_000, 4, false, allocator)) {
                    assertTrue(r.loadNextBatch());
                    assertEquals(0, r.getVectorSchemaRoot().getVector(i % 4).getNullCount());
                }
            }
            if (linux()) {
                assertEquals(before + 4, onesMappings(), "2,000 imports reuse the 4 clean mappings, no more");
                assertEquals(4, SharedOnes.trim());
                assertEquals(before, onesMappings(), "mappings left by 2,000 imports");
            }
            assertEquals(0, allocator.getAllocatedMemory());
            assertEquals(liveBefore, live(py), "every producer's release ran");
        }
    }

    /** Java's root to Python's stream capsule and back into Java: the re-imported column 0. */
    private static void reexport(Python py, VectorSchemaRoot root, BufferAllocator allocator,
            java.util.function.Consumer<FieldVector> check) throws Exception {
        try (PyObject exported = Arrow.toPython(py, root); PyObject capsule = exported.callMethod("__arrow_c_stream__");
                ArrowReader back = Arrow.reader(capsule, allocator)) {
            assertTrue(back.loadNextBatch());
            check.accept(back.getVectorSchemaRoot().getVector(0));
        }
    }

    @Test
    void anUnwrittenAllValidColumnIsExportedWithoutABitmapAndAWrittenOneWithIts() throws Exception {
        assumeTrue(linux(), "the shared all-ones bitmap is Linux only");
        int n = 100_000;
        try (var allocator = new RootAllocator(); var py = Python.attach(); ArrowReader r = read(py, n, 1, false, allocator)) {
            assertTrue(r.loadNextBatch());
            VectorSchemaRoot root = r.getVectorSchemaRoot();
            assertTrue(SharedOnes.unwritten(root.getVector(0).getValidityBuffer()));
            reexport(py, root, allocator, v -> {
                // exported with no bitmap (null count 0), so imported again as a fresh mapping
                assertTrue(SharedOnes.unwritten(v.getValidityBuffer()), "came back without a bitmap");
                assertEquals(0, v.getNullCount());
            });
            root.getVector(0).setNull(7);
            assertFalse(SharedOnes.unwritten(root.getVector(0).getValidityBuffer()), "a written mapping");
            reexport(py, root, allocator, v -> {
                assertFalse(SharedOnes.unwritten(v.getValidityBuffer()), "came back with Java's bitmap");
                assertTrue(v.isNull(7));
                assertFalse(v.isNull(8));
                assertEquals(1, v.getNullCount());
            });
        }
    }

    @Test
    void aSourceBitmapIsReadInPlaceAndHeldUntilClose() throws Exception {
        int n = 1_000;
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            int liveBefore = live(py);
            try (PyObject t = py.eval("_pjt_table(" + n + ", 2, True)")) {
                long bitmap = t.callMethod("bitmap_address").toJava(long.class);
                try (ArrowReader r = Arrow.reader(t, allocator)) {
                    assertTrue(r.loadNextBatch());
                    FieldVector v = r.getVectorSchemaRoot().getVector(1);
                    assertEquals(bitmap, v.getValidityBuffer().memoryAddress(), "Python's bitmap itself");
                    assertEquals(0, allocator.getAllocatedMemory());
                    for (int i = 0; i < n; i++) {
                        assertEquals(i % 3 == 0, v.isNull(i), "row " + i);
                    }
                    assertEquals((n + 2) / 3, v.getNullCount());
                    assertTrue(live(py) > liveBefore, "Python's array is held while Java reads it");
                }
                assertEquals(liveBefore, live(py), "and released on close");
            }
        }
    }

    @Test
    void pyarrowsBitmapIsHeldInPlaceUntilClose() throws Exception {
        Packages.require("pyarrow");
        int n = 100_000;
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            py.run("import pyarrow as _pa\n_pjt_pa = _pa.table({'a': _pa.array([None if i % 3 == 0 else i for i in range("
                    + n + ")], _pa.int64()), 'b': _pa.array(range(" + n + "), _pa.int64())})");
            long tableBytes = py.eval("_pjt_pa.nbytes").toJava(long.class);
            long pool;
            try (PyObject table = py.eval("_pjt_pa"); ArrowReader r = Arrow.reader(table, allocator)) {
                table.close(); // Java's reference to the table: only the reader's hold on its buffers remains
                assertTrue(r.loadNextBatch());
                pool = py.eval("_pa.total_allocated_bytes()").toJava(long.class);
                py.run("del _pjt_pa");
                assertEquals(pool, py.eval("_pa.total_allocated_bytes()").toJava(long.class),
                        "Java holds pyarrow's buffers, the table gone from Python");
                VectorSchemaRoot root = r.getVectorSchemaRoot();
                FieldVector a = root.getVector("a"), b = root.getVector("b");
                for (int i = 0; i < n; i++) {
                    assertEquals(i % 3 == 0, a.isNull(i), "row " + i);
                }
                assertEquals((n + 2) / 3, a.getNullCount());
                assertEquals(0, b.getNullCount());
                assertEquals(0, linux() ? allocator.getAllocatedMemory() : 0, "neither column took from Arrow Java's allocator");
            }
            assertTrue(py.eval("_pa.total_allocated_bytes()").toJava(long.class) <= pool - tableBytes, "released on close");
        }
    }
}
