package dev.pyjama.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/** Every type of the issue, with nulls, from pyarrow to Java and back. */
class ArrowTypesTest {

    static final String TABLE = """
            import pyarrow as pa, datetime, decimal
            def _table():
                n = None
                cols = {
                  'i8': pa.array([1, n, -128], pa.int8()), 'i16': pa.array([1, n, -300], pa.int16()),
                  'i32': pa.array([1, n, -70000], pa.int32()), 'i64': pa.array([1, n, -2**62], pa.int64()),
                  'u8': pa.array([1, n, 255], pa.uint8()), 'u16': pa.array([1, n, 65535], pa.uint16()),
                  'u32': pa.array([1, n, 2**32-1], pa.uint32()), 'u64': pa.array([1, n, 2**64-1], pa.uint64()),
                  'f16': pa.array([1.5, n, -2.0], pa.float16()) if hasattr(pa, 'float16') else pa.array([1.5, n, -2.0], pa.float32()),
                  'f32': pa.array([1.5, n, -2.0], pa.float32()), 'f64': pa.array([1.5, n, -0.0], pa.float64()),
                  'b': pa.array([True, n, False], pa.bool_()),
                  's': pa.array(['a', n, 'été'], pa.string()), 'ls': pa.array(['a', n, 'été'], pa.large_string()),
                  'sv': pa.array(['short', n, 'a string longer than twelve bytes'], pa.string_view()),
                  'bin': pa.array([b'\\x00\\x01', n, b''], pa.binary()), 'lbin': pa.array([b'x', n, b''], pa.large_binary()),
                  'd32': pa.array([datetime.date(2024, 2, 29), n, datetime.date(1970, 1, 1)], pa.date32()),
                  'ts_s': pa.array([1, n, -1], pa.timestamp('s')), 'ts_ms': pa.array([1, n, -1], pa.timestamp('ms')),
                  'ts_us': pa.array([1, n, -1], pa.timestamp('us')), 'ts_ns': pa.array([1, n, -1], pa.timestamp('ns')),
                  'tz_s': pa.array([1, n, -1], pa.timestamp('s', 'UTC')), 'tz_ms': pa.array([1, n, -1], pa.timestamp('ms', 'Europe/Paris')),
                  'tz_us': pa.array([1, n, -1], pa.timestamp('us', '+01:00')), 'tz_ns': pa.array([1, n, -1], pa.timestamp('ns', 'UTC')),
                  'dec': pa.array([decimal.Decimal('123.45'), n, decimal.Decimal('-0.01')], pa.decimal128(10, 2)),
                  'lst': pa.array([[1, 2], n, [n]], pa.list_(pa.int64())),
                  'st': pa.array([{'x': 1, 'y': 'a'}, n, {'x': n, 'y': n}], pa.struct([('x', pa.int32()), ('y', pa.string())])),
                  'dict': pa.array(['red', n, 'red'], pa.string()).dictionary_encode(),
                }
                return pa.table(cols)
            """;

    @Test
    void everyTypeWithNullsFromPyarrowIntoJavaAndBackIsTheSameTable() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            py.run(TABLE);
            PyObject table = py.eval("_table()");
            try (ArrowReader reader = Arrow.reader(table, allocator)) {
                assertTrue(reader.loadNextBatch());
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                assertEquals(3, root.getRowCount());
                for (var v : root.getFieldVectors()) {
                    assertNull(v.getObject(1), v.getField().getName() + " row 1 is null");
                }
                assertEquals(-128, ((Number) root.getVector("i8").getObject(2)).intValue());
                assertEquals(-(1L << 62), root.getVector("i64").getObject(2));
                assertEquals("été", root.getVector("s").getObject(2).toString());
                assertEquals("été", root.getVector("ls").getObject(2).toString());
                assertEquals("a string longer than twelve bytes", root.getVector("sv").getObject(2).toString());
                assertEquals(new java.math.BigDecimal("123.45"), root.getVector("dec").getObject(0));
                assertEquals(19782, ((Number) root.getVector("d32").getObject(0)).intValue());
                assertEquals("[1,2]", root.getVector("lst").getObject(0).toString());
                assertEquals(Boolean.TRUE, root.getVector("b").getObject(0));
                assertEquals(1.5, root.getVector("f64").getObject(0));
                PyObject back = Arrow.toPython(py, root, reader);
                py.importModule("__main__").setAttr("_back", back);
                py.run("import pyarrow as pa\n_t2 = pa.table(_back)");
                assertEquals("True", py.eval("_t2.equals(_table())").repr(),
                        () -> py.eval("str(_t2.schema) + '\\n' + str(_t2.to_pydict())").str());
                py.run("del _back, _t2");
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }
}
