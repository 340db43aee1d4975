package dev.pyjama.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/**
 * Java's table to Python and back through Python's capsule, with no data package: Arrow Java
 * produces, Python holds the {@code arrow_array_stream} capsule, Arrow Java consumes it again. So
 * both directions of the C Data Interface run on every interpreter, free-threaded 3.13t included,
 * where none of pyarrow, polars, pandas or duckdb installs.
 */
class ArrowRoundTripTest {

    private static String contents(VectorSchemaRoot root) {
        return root.contentToTSVString();
    }

    /** One exchange: root to Python, Python's capsule back to Java; returns what Java read. */
    private static String roundTrip(Python py, VectorSchemaRoot root, org.apache.arrow.memory.BufferAllocator allocator) throws Exception {
        PyObject exported = Arrow.toPython(py, root);
        PyObject capsule = exported.callMethod("__arrow_c_stream__");
        StringBuilder read = new StringBuilder();
        try (ArrowReader reader = Arrow.reader(capsule, allocator)) {
            while (reader.loadNextBatch()) {
                read.append(contents(reader.getVectorSchemaRoot()));
            }
        }
        capsule.close();
        exported.close();
        return read.toString();
    }

    @Test
    void javaToPythonsCapsuleAndBackIsTheSameTable() throws Exception {
        try (var allocator = new RootAllocator(); var root = ArrowPackagesTest.javaTable(allocator, 1000); var py = Python.attach()) {
            String expected = contents(root);
            assertTrue(expected.contains("s999"), expected.substring(0, 40));
            assertEquals(expected, roundTrip(py, root, allocator));
            long exportedBytes = allocator.getAllocatedMemory();
            for (int i = 0; i < 2_000; i++) {
                roundTrip(py, root, allocator);
            }
            ForeignCalls.drain();
            assertEquals(exportedBytes, allocator.getAllocatedMemory(), "no buffer kept by 2,000 exchanges");
        }
    }

    @Test
    void manyThreadsExchangeAtOnce() throws Exception {
        try (var allocator = new RootAllocator()) {
            String expected;
            try (var probe = ArrowPackagesTest.javaTable(allocator, 100)) {
                expected = contents(probe);
            }
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        int same = 0;
                        try (var mine = allocator.newChildAllocator("thread", 0, Long.MAX_VALUE);
                                var root = ArrowPackagesTest.javaTable(mine, 100)) {
                            for (int i = 0; i < 200; i++) {
                                // each exchange attaches by itself: threads interleave (or, free-threaded, run at once)
                                String read = Python.attach(py -> {
                                    try {
                                        return roundTrip(py, root, mine);
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                });
                                same += read.equals(expected) ? 1 : 0;
                            }
                        }
                        return same;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(200, f.get());
                }
            }
            ForeignCalls.drain();
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }
}
