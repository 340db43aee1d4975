package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import dev.pyjama.Python;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} over an {@code ArrowArrayStream} that Python exported (moved out of its
 * capsule, so this reader alone owns it). Each {@link #loadNextBatch()} loads the producer's next
 * batch into the reader's root without copying; {@link #close()} releases the stream (the
 * producer's {@code release}, once, attached). Batches already loaded stay valid while a vector
 * still holds their buffers (a transfer or {@code retain}), and are released when the last does.
 */
final class PythonStreamReader extends ArrowReader {

    private final long stream;
    private final AtomicBoolean released = new AtomicBoolean();

    /** Takes over the stream at {@code source}: copies it and marks the source released. */
    PythonStreamReader(BufferAllocator allocator, long source) {
        super(allocator);
        stream = calloc(STREAM_SIZE);
        segment(stream, STREAM_SIZE).copyFrom(segment(source, STREAM_SIZE));
        putWord(source + ST_RELEASE, 0);
    }

    @Override
    protected Schema readSchema() throws IOException {
        long out = calloc(SCHEMA_SIZE);
        try {
            int err = Python.attach(py -> callIntPP(word(stream + ST_GET_SCHEMA), stream, out));
            if (err != 0) {
                throw new IOException("the Arrow stream's get_schema failed: " + lastError(err));
            }
            try {
                return Schemas.importSchema(out);
            } finally {
                long r = word(out + S_RELEASE);
                if (r != 0) {
                    callRelease(r, out);
                }
            }
        } finally {
            free(out);
        }
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        ensureInitialized();
        if (released.get()) {
            throw new IllegalStateException("this reader was closed");
        }
        long out = calloc(ARRAY_SIZE);
        try {
            int err = Python.attach(py -> callIntPP(word(stream + ST_GET_NEXT), stream, out));
            if (err != 0) {
                throw new IOException("the Arrow stream's get_next failed: " + lastError(err));
            }
            if (word(out + A_RELEASE) == 0) {
                getVectorSchemaRoot().setRowCount(0);
                return false;
            }
            ImportedArray batch = new ImportedArray(out);
            var root = getVectorSchemaRoot();
            Importer.load(batch, root, dictionaries, allocator, true); // a stream's batch is a struct array
            return true;
        } finally {
            free(out);
        }
    }

    private String lastError(int errno) {
        long fn = word(stream + ST_GET_LAST_ERROR);
        String message = fn == 0 ? null : Python.attach(py -> string(callPP(fn, stream)));
        return (message == null ? "" : message + " ") + "(errno " + errno + ")";
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() {
        if (released.compareAndSet(false, true)) {
            releaseAttachedAndFree(stream, ST_RELEASE);
        }
    }
}
