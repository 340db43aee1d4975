package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} of one batch: an {@code ArrowSchema} and an {@code ArrowArray} that Python
 * exported through {@code __arrow_c_array__} (both moved out of their capsules, so this reader alone
 * owns them). A struct array (a record batch, a table's batch) is read as columns; any other array
 * as a table of one column. The batch's buffers are Python's memory, released (the producer's
 * {@code release}, once, attached) when the reader and every vector holding one of them let go.
 */
final class PythonArrayReader extends ArrowReader {

    private final long schema;
    /** The array until the batch is loaded (then it belongs to its {@link ImportedArray}), else 0. */
    private long array;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Takes over the schema and array at these addresses (copies them and marks the sources released). */
    PythonArrayReader(BufferAllocator allocator, long schemaSource, long arraySource) {
        super(allocator);
        schema = calloc(SCHEMA_SIZE);
        array = calloc(ARRAY_SIZE);
        segment(schema, SCHEMA_SIZE).copyFrom(segment(schemaSource, SCHEMA_SIZE));
        putWord(schemaSource + S_RELEASE, 0);
        segment(array, ARRAY_SIZE).copyFrom(segment(arraySource, ARRAY_SIZE));
        putWord(arraySource + A_RELEASE, 0);
    }

    @Override
    protected Schema readSchema() {
        return Schemas.importArraySchema(schema);
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
        ensureInitialized();
        if (closed.get()) {
            throw new IllegalStateException("this reader was closed");
        }
        var root = getVectorSchemaRoot();
        if (array == 0) {
            root.setRowCount(0);
            return false;
        }
        ImportedArray batch;
        try {
            batch = new ImportedArray(array);
        } finally {
            free(array);
            array = 0;
        }
        Importer.load(batch, root, dictionaries, allocator, "+s".equals(string(word(schema + S_FORMAT))));
        return true;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        if (closed.compareAndSet(false, true)) {
            long a = array;
            array = 0;
            try {
                if (a != 0) {
                    releaseAttachedAndFree(a, A_RELEASE);
                }
            } finally {
                releaseAttachedAndFree(schema, S_RELEASE);
            }
        }
    }
}
