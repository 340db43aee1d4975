package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import dev.pyjama.Py;
import dev.pyjama.PyCapsules;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow tables between Python and Arrow Java without copying values, through the Arrow PyCapsule
 * interface ({@code __arrow_c_stream__}) and the Arrow C Data Interface, bound with the Foreign
 * Function and Memory API (no JNI).
 *
 * <p>Python to Java: {@link #reader(PyObject, BufferAllocator)} turns anything with
 * {@code __arrow_c_stream__} (a pyarrow {@code Table} or {@code RecordBatchReader}, a polars or
 * pandas {@code DataFrame}, a duckdb relation) or {@code __arrow_c_array__} (a pyarrow
 * {@code Array} or {@code RecordBatch}: one batch) into an {@link ArrowReader} whose vectors point at
 * the memory Python exported. Closing the reader, and every vector that still holds one of its
 * buffers, runs the producer's {@code release} exactly once, from whichever thread drops the last
 * buffer (it attaches to Python).
 *
 * <p>Java to Python: {@link #toPython(Python, VectorSchemaRoot)} and
 * {@link #toPython(Python, ArrowReader)} make a Python object with {@code __arrow_c_stream__}, so
 * {@code pyarrow.table(x)}, {@code polars.DataFrame(x)} or duckdb's {@code sql} read Java's
 * buffers in place; each buffer is retained until the Python side releases it, so the allocator
 * must stay open until then. A consumer that releases from a thread of its own (duckdb's and
 * libarrow's thread pools do) never runs Java there: the buffers are released shortly after, by a
 * thread of this module or at the next call into it, whichever comes first.
 *
 * {@snippet :
 * try (var allocator = new RootAllocator(); var py = Python.attach()) {
 *     PyObject df = py.eval("__import__('polars').DataFrame({'a': [1, 2, None]})");
 *     try (ArrowReader reader = Arrow.reader(df, allocator)) {
 *         while (reader.loadNextBatch()) {
 *             VectorSchemaRoot root = reader.getVectorSchemaRoot();
 *             // read root's vectors
 *         }
 *     }
 * }
 * }
 */
public final class Arrow {

    private Arrow() {}

    /** The capsule name the Arrow PyCapsule interface gives a stream. */
    public static final String STREAM_CAPSULE = "arrow_array_stream";

    /** The capsule name the Arrow PyCapsule interface gives a schema. */
    public static final String SCHEMA_CAPSULE = "arrow_schema";

    /** The capsule name the Arrow PyCapsule interface gives an array. */
    public static final String ARRAY_CAPSULE = "arrow_array";

    private static final String SUPPORT = """
            import sys
            _callbacks = sys.modules["pyjama_arrow._callbacks"]

            class JavaArrowStream:
                \"\"\"Arrow data in Java memory, readable in place by any consumer of the Arrow
                PyCapsule interface (pyarrow.table, polars.DataFrame, duckdb ...).\"\"\"
                __slots__ = ("_export", "_description")

                def __init__(self, export, description):
                    self._export = export
                    self._description = description

                def __arrow_c_stream__(self, requested_schema=None, _cb=_callbacks):
                    # The Java export runs on a Java thread even when a consumer's own thread asks.
                    return _cb.stream_capsule(_cb.in_java(self._export))

                def __repr__(self):
                    return "<JavaArrowStream " + self._description + ">"
            """;

    private static volatile Py<PyObject> streamClass;

    /**
     * The Arrow stream {@code source} exports, as an {@link ArrowReader} over Python's memory.
     *
     * @param source an object with {@code __arrow_c_stream__} or {@code __arrow_c_array__}, an
     *     {@code arrow_array_stream} capsule, or the pair of capsules {@code __arrow_c_array__} gives
     *     (a struct array, such as a record batch, is read as columns; any other array as one column)
     * @param allocator the allocator for the reader's vectors (and the few buffers Arrow Java makes itself)
     * @return the reader; close it (or let its vectors go) to release Python's memory
     * @throws IllegalArgumentException if {@code source} exports no Arrow stream or array
     * @throws UnsupportedOperationException naming a column's type that Arrow Java cannot read
     */
    public static ArrowReader reader(PyObject source, BufferAllocator allocator) {
        Objects.requireNonNull(allocator, "allocator");
        ForeignCalls.drain();
        PyObject capsule;
        if (PyCapsules.isCapsule(source, STREAM_CAPSULE)) {
            capsule = source;
        } else if (source.hasAttr("__arrow_c_stream__")) {
            capsule = source.callMethod("__arrow_c_stream__");
        } else if (source.hasAttr("__arrow_c_array__")) {
            return arrayReader(source.callMethod("__arrow_c_array__"), allocator);
        } else if (source.tryAs(dev.pyjama.PyTuple.class).map(t -> t.size() == 2).orElse(false)) {
            return arrayReader(source, allocator);
        } else {
            throw new IllegalArgumentException("a " + source.type().getAttr("__qualname__").str()
                    + " has neither __arrow_c_stream__ nor __arrow_c_array__ (the Arrow PyCapsule interface)");
        }
        MemorySegment stream = PyCapsules.pointer(capsule, STREAM_CAPSULE);
        if (word(stream.address() + ST_RELEASE) == 0) {
            throw new IllegalStateException("this Arrow stream capsule was already consumed");
        }
        return new PythonStreamReader(allocator, stream.address());
    }

    /** The reader of one batch over the ({@code arrow_schema}, {@code arrow_array}) capsules of {@code __arrow_c_array__}. */
    private static ArrowReader arrayReader(PyObject pair, BufferAllocator allocator) {
        PyObject schemaCapsule = pair.getItem(0);
        PyObject arrayCapsule = pair.getItem(1);
        if (!PyCapsules.isCapsule(schemaCapsule, SCHEMA_CAPSULE) || !PyCapsules.isCapsule(arrayCapsule, ARRAY_CAPSULE)) {
            throw new IllegalArgumentException("__arrow_c_array__ must give a pair of capsules ('" + SCHEMA_CAPSULE
                    + "', '" + ARRAY_CAPSULE + "')");
        }
        MemorySegment schema = PyCapsules.pointer(schemaCapsule, SCHEMA_CAPSULE);
        MemorySegment array = PyCapsules.pointer(arrayCapsule, ARRAY_CAPSULE);
        if (word(schema.address() + S_RELEASE) == 0 || word(array.address() + A_RELEASE) == 0) {
            throw new IllegalStateException("these Arrow capsules were already consumed");
        }
        return new PythonArrayReader(allocator, schema.address(), array.address());
    }

    /**
     * The root's current batch as a Python object with {@code __arrow_c_stream__} (one batch per
     * stream; each call of {@code __arrow_c_stream__} exports the root's contents at that moment).
     *
     * @param py the calling thread's attach token
     * @param root the data (its vectors' buffers are retained while Python holds them)
     * @return the Python object, owned by {@code py}'s scope
     */
    public static PyObject toPython(Python py, VectorSchemaRoot root) {
        return toPython(py, root, null);
    }

    /**
     * As {@link #toPython(Python, VectorSchemaRoot)}, for a root with dictionary-encoded columns.
     *
     * @param py the calling thread's attach token
     * @param root the data
     * @param dictionaries the dictionaries of the root's dictionary-encoded columns, or null
     * @return the Python object
     */
    public static PyObject toPython(Python py, VectorSchemaRoot root, DictionaryProvider dictionaries) {
        Objects.requireNonNull(root, "root");
        return wrap(py, () -> new Callbacks.Source() {
            private boolean done;

            @Override
            public Schema schema() {
                return root.getSchema();
            }

            @Override
            public boolean next() {
                if (done) {
                    return false;
                }
                done = true;
                return true;
            }

            @Override
            public VectorSchemaRoot root() {
                return root;
            }

            @Override
            public DictionaryProvider dictionaries() {
                return dictionaries;
            }

            @Override
            public void close() {}
        }, root.getRowCount() + " rows, " + root.getSchema().getFields().size() + " columns");
    }

    /**
     * The reader's batches as a Python object with {@code __arrow_c_stream__}, which can be
     * consumed once; the reader is closed when Python releases the stream.
     *
     * @param py the calling thread's attach token
     * @param reader the batches
     * @return the Python object
     */
    public static PyObject toPython(Python py, ArrowReader reader) {
        Objects.requireNonNull(reader, "reader");
        AtomicBoolean taken = new AtomicBoolean();
        return wrap(py, () -> {
            if (!taken.compareAndSet(false, true)) {
                throw new IllegalStateException("this ArrowReader's stream was already taken; a reader can be read once");
            }
            return new Callbacks.Source() {
                @Override
                public Schema schema() throws Exception {
                    return reader.getVectorSchemaRoot().getSchema();
                }

                @Override
                public boolean next() throws Exception {
                    return reader.loadNextBatch();
                }

                @Override
                public VectorSchemaRoot root() throws Exception {
                    return reader.getVectorSchemaRoot();
                }

                @Override
                public DictionaryProvider dictionaries() {
                    return reader;
                }

                @Override
                public void close() throws Exception {
                    reader.close();
                }
            };
        }, "reader");
    }

    private static PyObject wrap(Python py, java.util.function.Supplier<Callbacks.Source> sources, String description) {
        ForeignCalls.ensure(py);
        PyObject export = py.function("__arrow_c_stream__", (p, args, kwargs) -> Callbacks.newStream(sources.get()));
        return streamClass(py).call(export, description);
    }

    private static PyObject streamClass(Python py) {
        // No lock: making the class runs Python, which may let another attached thread in, and a
        // Java lock held across that could deadlock with it. Two threads may both make one; one wins.
        Py<PyObject> c = streamClass;
        if (c == null) {
            PyModule m = PyModule.fromCode(py, SUPPORT, "<pyjama-arrow>", "pyjama_arrow");
            c = m.getAttr("JavaArrowStream").unbind();
            streamClass = c;
        }
        return c.bind(py);
    }
}
