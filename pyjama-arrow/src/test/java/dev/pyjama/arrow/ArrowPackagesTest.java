package dev.pyjama.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** polars, pandas 3 and duckdb both ways; release once; memory flat over 10,000 exchanges; threads. */
class ArrowPackagesTest {

    /** Reads every batch; returns "rows|sum of column a|nulls of column s". */
    private static String summary(ArrowReader reader) throws Exception {
        long rows = 0, sum = 0, nulls = 0;
        while (reader.loadNextBatch()) {
            VectorSchemaRoot r = reader.getVectorSchemaRoot();
            rows += r.getRowCount();
            var a = r.getVector("a");
            for (int i = 0; i < r.getRowCount(); i++) {
                if (!a.isNull(i)) {
                    sum += ((Number) a.getObject(i)).longValue();
                }
            }
            nulls += r.getVector("s").getNullCount();
        }
        return rows + "|" + sum + "|" + nulls;
    }

    private static final String DATA = "{'a': [1, 2, None, 4], 's': ['x', None, 'zz', None]}";

    @Test
    void polarsToJavaAndBack() throws Exception {
        Packages.require("polars");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            PyObject df = py.eval("__import__('polars').DataFrame(" + DATA + ")");
            try (ArrowReader reader = Arrow.reader(df, allocator)) {
                assertEquals("4|7|2", summary(reader));
            }
            try (var root = javaTable(allocator, 4); var inner = Python.attach()) {
                PyObject back = inner.importModule("polars").callMethod("DataFrame", Arrow.toPython(inner, root));
                assertEquals("[0, 1, 2, 3]", back.getItem("a").callMethod("to_list").repr());
                assertEquals("[None, 's1', None, 's3']", back.getItem("s").callMethod("to_list").repr());
                // exported with null_count -1 ("not computed"): polars counts the bitmap itself
                assertEquals(2L, back.getItem("s").callMethod("null_count").toJava(long.class));
                assertEquals(0L, back.getItem("a").callMethod("null_count").toJava(long.class));
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void pandasToJavaAndBack() throws Exception {
        Packages.require("pandas", "pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            PyObject df = py.eval("__import__('pandas').DataFrame(" + DATA + ").astype({'a': 'Int64'})");
            try (ArrowReader reader = Arrow.reader(df, allocator)) {
                assertEquals("4|7|2", summary(reader));
            }
            try (var root = javaTable(allocator, 4)) {
                py.importModule("__main__").setAttr("_j", Arrow.toPython(py, root));
                py.run("import pyarrow as pa\n_df = pa.table(_j).to_pandas()");
                assertEquals("[0, 1, 2, 3]", py.eval("list(_df['a'])").repr());
                assertEquals("True", py.eval("bool(_df['s'].isna()[0])").repr());
                py.run("del _j, _df");
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void duckdbToJavaAndBack() throws Exception {
        Packages.require("duckdb", "pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            py.run("import duckdb\n_con = duckdb.connect()");
            PyObject rel = py.eval("_con.sql(\"select * from (values (1, 'x'), (2, null), (null, 'zz'), (4, null)) t(a, s)\")");
            try (ArrowReader reader = Arrow.reader(rel, allocator)) {
                assertEquals("4|7|2", summary(reader));
            }
            try (var root = javaTable(allocator, 4)) {
                py.importModule("__main__").setAttr("jt", Arrow.toPython(py, root));
                assertEquals("(6, 2)", py.eval("_con.sql('select sum(a), count(s) from jt').fetchone()").repr());
                py.run("del jt");
            }
            py.run("_con.close(); del _con");
            // duckdb releases from its own threads: Java's side follows on a thread of the module
            assertReleased(allocator);
        }
    }

    @Test
    void theProducersReleaseRunsOnceWhenJavaClosesFromAnotherThread() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator()) {
            ArrowReader reader = Python.attach(py -> {
                py.run("""
                        import pyarrow as pa, gc
                        class _Probe:
                            released = 0
                            def __del__(self): _Probe.released += 1
                        def _gen(probe):
                            yield pa.record_batch({'a': [1, 2], 's': ['x', None]})
                        _probe = _Probe()
                        _rbr = pa.RecordBatchReader.from_batches(
                            pa.schema([('a', pa.int64()), ('s', pa.string())]), _gen(_probe))
                        del _probe
                        """);
                ArrowReader r = Arrow.reader(py.eval("_rbr"), allocator);
                py.run("del _rbr; gc.collect()");
                return r;
            });
            assertTrue(reader.loadNextBatch());
            assertEquals(0L, (long) Python.attach(py -> py.eval("_Probe.released").toJava(Long.class)), "alive while Java reads");
            Thread t = new Thread(() -> {
                try {
                    reader.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            t.join();
            assertEquals(1L, (long) Python.attach(py -> py.eval("_Probe.released").toJava(Long.class)));
            reader.close(); // a second close releases nothing more
            assertEquals(1L, (long) Python.attach(py -> py.eval("_Probe.released").toJava(Long.class)));
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void aTypeArrowJavaCannotReadIsAnErrorNamingIt() {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            PyObject t = py.eval("__import__('pyarrow').table({'u': __import__('pyarrow').array([[1], None, [2, 3]], "
                    + "__import__('pyarrow').list_view(__import__('pyarrow').int64()))})");
            var e = assertThrows(UnsupportedOperationException.class, () -> {
                try (ArrowReader r = Arrow.reader(t, allocator)) {
                    r.loadNextBatch();
                }
            });
            assertTrue(e.getMessage().contains("'+vl'") && e.getMessage().contains("list view")
                    && e.getMessage().contains("'u'"), e.getMessage());
            var notArrow = assertThrows(IllegalArgumentException.class, () -> Arrow.reader(py.eval("[1, 2]"), allocator));
            assertTrue(notArrow.getMessage().contains("list"), notArrow.getMessage());
        }
    }

    @Test
    void tenThousandExchangesKeepBothAllocatorsFlat() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            py.run("import pyarrow as pa\n_t = pa.table({'a': list(range(1000)), 's': [str(i) if i % 3 else None for i in range(1000)]})");
            PyObject pa = py.importModule("pyarrow");
            long pyBefore = pa.callMethod("total_allocated_bytes").toJava(Long.class);
            PyObject table = py.eval("_t");
            for (int i = 0; i < 10_000; i++) {
                try (var scope = Python.attach()) {
                    try (ArrowReader reader = Arrow.reader(table, allocator)) {
                        assertTrue(reader.loadNextBatch());
                        VectorSchemaRoot root = reader.getVectorSchemaRoot();
                        PyObject back = pa.callMethod("table", Arrow.toPython(scope, root, reader));
                        if (i % 1000 == 0) {
                            assertEquals(999L, back.getItem("a").getItem(999).callMethod("as_py").toJava(Long.class));
                        }
                        back.close();
                    }
                }
                if (i == 100) {
                    pyBefore = pa.callMethod("total_allocated_bytes").toJava(Long.class);
                }
            }
            assertEquals(0, allocator.getAllocatedMemory(), "Arrow Java's allocator");
            assertEquals(pyBefore, (long) pa.callMethod("total_allocated_bytes").toJava(Long.class), "pyarrow's allocator");
            assertEquals(0, Callbacks.liveStreams());
            assertEquals(0, Exporter.live());
        }
    }

    @Test
    void severalJavaThreadsExchangeAtOnce() throws Exception {
        Packages.require("pyarrow");
        Python.attach(py -> {
            py.run("import pyarrow as pa\n_mt = pa.table({'a': list(range(500)), 's': [None, 'x'] * 250})");
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (var allocator = new RootAllocator()) {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    String last = null;
                    for (int i = 0; i < 200; i++) {
                        ArrowReader reader = Python.attach(py -> Arrow.reader(py.eval("_mt"), allocator));
                        try (reader) {
                            last = summary(reader); // loads batches attached as needed
                        }
                        try (var root = javaTable(allocator, 10)) {
                            long n = Python.attach(py -> py.importModule("pyarrow").callMethod("table", Arrow.toPython(py, root))
                                    .getAttr("num_rows").toJava(Long.class));
                            assertEquals(10, n);
                        }
                    }
                    return last;
                }));
            }
            for (Future<String> f : results) {
                assertEquals("500|124750|250", f.get());
            }
            assertEquals(0, allocator.getAllocatedMemory());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits (up to 10 s) until the Java side of everything consumers released from their own threads is released. */
    static void assertReleased(RootAllocator allocator) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (allocator.getAllocatedMemory() != 0 && System.nanoTime() < deadline) {
            ForeignCalls.drain();
            Thread.sleep(5);
        }
        assertEquals(0, allocator.getAllocatedMemory());
    }

    /** A Java-made table: a = 0..n-1 (int64), s = "s<i>" for odd i, null for even i, f = i / 2.0. */
    static VectorSchemaRoot javaTable(org.apache.arrow.memory.BufferAllocator allocator, int n) {
        Schema schema = new Schema(List.of(
                new Field("a", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("s", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("f", FieldType.nullable(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), null)));
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        root.allocateNew();
        BigIntVector a = (BigIntVector) root.getVector("a");
        VarCharVector s = (VarCharVector) root.getVector("s");
        Float8Vector f = (Float8Vector) root.getVector("f");
        for (int i = 0; i < n; i++) {
            a.setSafe(i, i);
            if (i % 2 == 1) {
                s.setSafe(i, ("s" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                s.setNull(i);
            }
            f.setSafe(i, i / 2.0);
        }
        root.setRowCount(n);
        assertFalse(root.getSchema().getFields().isEmpty());
        return root;
    }
}
