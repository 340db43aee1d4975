package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyBuffer;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.arrow.Arrow;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 23: a 4-column table (int64, float64, string, timestamp[us]) from polars and from pyarrow
 * to Arrow Java and back through pyjama-arrow (the C Data Interface, no value copied), against the
 * fastest copy path pyjama has without it (numeric columns through numpy and the buffer protocol
 * into Java arrays, strings through a Python list).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ArrowBench {

    @Param({"1000000", "10000000"})
    public int rows;

    @Param({"pyarrow", "polars"})
    public String source;

    private RootAllocator allocator;
    private Py<PyObject> table;

    private static final String CODE = String.join("\n",
            "import pyarrow as pa, pyarrow.compute as pc, numpy as np",
            "def make_table(n, kind):",
            "    a = np.arange(n, dtype=np.int64)",
            "    t = pa.table({'i': a, 'f': a * 0.5, 's': pc.cast(pa.array(a % 1000), pa.string()),",
            "                  't': pa.array(a * 1000, pa.timestamp('us'))}).combine_chunks()",
            "    if kind == 'polars':",
            "        import polars as pl",
            "        return pl.from_arrow(t).rechunk()",
            "    return t",
            "def rows_of(x, kind):",
            "    if kind == 'polars':",
            "        import polars as pl",
            "        return pl.DataFrame(x).height",
            "    return pa.table(x).num_rows",
            "def col(t, name):",
            "    return t[name].to_numpy()",
            "def col_ts(t, name):",
            "    return t[name].to_numpy().view('int64')",
            "def col_list(t, name):",
            "    return t[name].to_list() if hasattr(t[name], 'to_list') else t[name].to_pylist()",
            "");

    @Setup(Level.Trial)
    public void setUp() {
        Fixture.start();
        allocator = new RootAllocator();
        table = Python.attach(py -> {
            py.run(CODE);
            return py.eval("make_table(" + rows + ", '" + source + "')").unbind();
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        table.close();
        allocator.close();
    }

    /** Python to Java: the stream imported, every batch loaded into vectors, released. */
    @Benchmark
    public long toJava() throws Exception {
        try (Python py = Python.attach(); ArrowReader reader = Arrow.reader(table.bind(py), allocator)) {
            long n = 0;
            while (reader.loadNextBatch()) {
                n += reader.getVectorSchemaRoot().getRowCount();
            }
            return n;
        }
    }

    /**
     * The same import through Arrow Java's own {@code arrow-c-data} (JNI): the stream capsule's
     * struct moved into {@code Data.importArrayStream}. The producer's release runs from JNI on the
     * closing thread (here attached, as the benchmark holds the scope).
     */
    @Benchmark
    public long toJavaArrowCData() throws Exception {
        try (Python py = Python.attach()) {
            PyObject capsule = table.bind(py).callMethod("__arrow_c_stream__");
            long address = dev.pyjama.PyCapsules.pointer(capsule, Arrow.STREAM_CAPSULE).address();
            try (ArrowReader reader = org.apache.arrow.c.Data.importArrayStream(allocator,
                    org.apache.arrow.c.ArrowArrayStream.wrap(address))) {
                long n = 0;
                while (reader.loadNextBatch()) {
                    n += reader.getVectorSchemaRoot().getRowCount();
                }
                return n;
            }
        }
    }

    /** Java to Python alone: a root Java loaded, exported and read by pyarrow.table / polars.DataFrame. */
    @Benchmark
    public long toPython(Exported e) {
        try (Python py = Python.attach()) {
            return py.importModule("__main__").getAttr("rows_of").call(Arrow.toPython(py, e.root, e.reader), source)
                    .toJava(Long.class);
        }
    }

    /** A batch imported once per trial, for {@link #toPython}. */
    @State(Scope.Benchmark)
    public static class Exported {
        ArrowReader reader;
        VectorSchemaRoot root;

        @Setup(Level.Trial)
        public void setUp(ArrowBench b) throws Exception {
            reader = Python.attach(py -> Arrow.reader(b.table.bind(py), b.allocator));
            reader.loadNextBatch();
            root = reader.getVectorSchemaRoot();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            reader.close();
        }
    }

    /** Python to Java and back: the Java vectors handed to pyarrow.table / polars.DataFrame. */
    @Benchmark
    public long roundTrip() throws Exception {
        try (Python py = Python.attach(); ArrowReader reader = Arrow.reader(table.bind(py), allocator)) {
            reader.loadNextBatch();
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            PyObject main = py.importModule("__main__");
            long n = main.getAttr("rows_of").call(Arrow.toPython(py, root, reader), source).toJava(Long.class);
            return n;
        }
    }

    /** The copy path without Arrow: numpy buffers into Java arrays, the strings through a list. */
    @Benchmark
    public long copyToJava() {
        try (Python py = Python.attach()) {
            PyObject main = py.importModule("__main__");
            PyObject t = table.bind(py);
            long[] i;
            double[] f;
            long[] ts;
            try (PyBuffer b = main.getAttr("col").call(t, "i").buffer()) {
                i = b.toLongArray();
            }
            try (PyBuffer b = main.getAttr("col").call(t, "f").buffer()) {
                f = b.toDoubleArray();
            }
            try (PyBuffer b = main.getAttr("col_ts").call(t, "t").buffer()) {
                ts = b.toLongArray();
            }
            List<?> s = main.getAttr("col_list").call(t, "s").toJava(List.class);
            return i.length + f.length + ts.length + s.size();
        }
    }
}
