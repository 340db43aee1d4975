package dev.pyjama.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/** {@code __arrow_c_array__}: a plain array as one column, a record batch as columns, released once. */
class ArrowArrayTest {

    private static long pyarrowBytes(Python py) {
        return py.eval("__import__('pyarrow').total_allocated_bytes()").toJava(long.class);
    }

    @Test
    void aPlainArrayIsOneColumnReadInPlaceAndReleasedOnce() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            long before = pyarrowBytes(py);
            // pyarrow's Array has __arrow_c_array__ and no __arrow_c_stream__: this is the array path
            PyObject array = py.eval("__import__('pyarrow').array([1, None, 3] * 100_000)");
            assertFalse(array.hasAttr("__arrow_c_stream__"));
            try (ArrowReader reader = Arrow.reader(array, allocator)) {
                assertTrue(reader.loadNextBatch());
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                assertEquals(300_000, root.getRowCount());
                FieldVector v = root.getFieldVectors().get(0);
                assertEquals(1L, v.getObject(0));
                assertNull(v.getObject(1));
                assertEquals(3L, v.getObject(299_999));
                assertEquals(100_000, v.getNullCount());
                assertFalse(reader.loadNextBatch(), "one batch");
                array.close();
                py.run("import gc; gc.collect()");
                assertTrue(pyarrowBytes(py) > before, "Java still reads Python's buffers");
            }
            assertEquals(before, pyarrowBytes(py), "released when the reader closed");
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void aRecordBatchsCapsulePairIsReadAsColumnsWithDictionaries() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            py.run("""
                    import pyarrow as pa
                    _rb = pa.record_batch({'n': pa.array([1, None, 3], pa.int32()),
                                           'c': pa.array(['red', None, 'red']).dictionary_encode()})
                    """);
            PyObject pair = py.eval("_rb.__arrow_c_array__()");
            try (ArrowReader reader = Arrow.reader(pair, allocator)) {
                assertTrue(reader.loadNextBatch());
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                assertEquals(3, root.getRowCount());
                assertEquals(3, root.getVector("n").getObject(2));
                var encoded = root.getVector("c");
                long id = encoded.getField().getDictionary().getId();
                var dictionary = reader.lookup(id).getVector();
                int index = ((Number) encoded.getObject(0)).intValue();
                assertEquals("red", dictionary.getObject(index).toString());
                assertTrue(encoded.isNull(1));
                // and back: Java's batch to pyarrow, equal to the original
                py.importModule("__main__").setAttr("_back", Arrow.toPython(py, root, reader));
                assertEquals("True", py.eval("pa.table(_back).equals(pa.Table.from_batches([_rb]))").repr());
                py.run("del _back");
            }
            assertThrows(IllegalStateException.class, () -> Arrow.reader(pair, allocator), "a pair is consumed once");
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void closedUnreadTheProducersReleaseStillRunsOnce() {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            long before = pyarrowBytes(py);
            for (int i = 0; i < 2_000; i++) {
                try (PyObject array = py.eval("__import__('pyarrow').array(range(1000))")) {
                    Arrow.reader(array, allocator).close();
                }
            }
            assertEquals(before, pyarrowBytes(py), "no array kept");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
