package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Java side of the C callbacks of what this module exports: one upcall stub each, shared by
 * every struct, which finds its Java state through the struct's {@code private_data} (an id:
 * consumers may move the struct, never its private data). The structs never point at these stubs:
 * they point at {@link ForeignCalls}' C functions, which run a stub only on a thread the JVM knows and
 * otherwise hand the call to a Java thread. Callbacks never let a Java exception unwind into C: a
 * failed {@code get_next} returns EIO and keeps the message for {@code get_last_error}.
 */
final class Callbacks {

    private Callbacks() {}

    /** Where an exported stream's batches come from. */
    interface Source extends AutoCloseable {
        Schema schema() throws Exception;

        /** Loads the next batch into {@link #root()}; false at the end. */
        boolean next() throws Exception;

        VectorSchemaRoot root() throws Exception;

        DictionaryProvider dictionaries();

        @Override
        void close() throws Exception;
    }

    private static final class Stream {
        final Source source;
        long lastError;

        Stream(Source source) {
            this.source = source;
        }
    }

    private static final ConcurrentHashMap<Long, Stream> STREAMS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final int EIO = 5;

    static final MemorySegment JAVA_RELEASE_SCHEMA;
    static final MemorySegment JAVA_RELEASE_ARRAY;
    static final MemorySegment JAVA_GET_SCHEMA;
    static final MemorySegment JAVA_GET_NEXT;
    static final MemorySegment JAVA_GET_LAST_ERROR;
    static final MemorySegment JAVA_RELEASE_STREAM;

    static {
        try {
            var lookup = MethodHandles.lookup();
            Linker linker = Linker.nativeLinker();
            MethodType voidL = MethodType.methodType(void.class, long.class);
            JAVA_RELEASE_SCHEMA = linker.upcallStub(lookup.findStatic(Callbacks.class, "releaseSchema", voidL),
                    FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
            JAVA_RELEASE_ARRAY = linker.upcallStub(lookup.findStatic(Callbacks.class, "releaseArray", voidL),
                    FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
            JAVA_RELEASE_STREAM = linker.upcallStub(lookup.findStatic(Callbacks.class, "releaseStream", voidL),
                    FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
            MethodType intLL = MethodType.methodType(int.class, long.class, long.class);
            JAVA_GET_SCHEMA = linker.upcallStub(lookup.findStatic(Callbacks.class, "getSchema", intLL),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), Arena.global());
            JAVA_GET_NEXT = linker.upcallStub(lookup.findStatic(Callbacks.class, "getNext", intLL),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), Arena.global());
            JAVA_GET_LAST_ERROR = linker.upcallStub(lookup.findStatic(Callbacks.class, "getLastError",
                    MethodType.methodType(long.class, long.class)), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A new {@code ArrowArrayStream} in C memory over {@code source}; whoever ends up owning it releases it. */
    static long newStream(Source source) {
        long s = calloc(STREAM_SIZE);
        long id = IDS.incrementAndGet();
        STREAMS.put(id, new Stream(source));
        putWord(s + ST_GET_SCHEMA, ForeignCalls.getSchema);
        putWord(s + ST_GET_NEXT, ForeignCalls.getNext);
        putWord(s + ST_GET_LAST_ERROR, ForeignCalls.getLastError);
        putWord(s + ST_PRIVATE, id);
        putWord(s + ST_RELEASE, ForeignCalls.releaseStream);
        return s;
    }

    /** How many exported streams are not released yet (for tests). */
    static int liveStreams() {
        return STREAMS.size();
    }

    private static void releaseSchema(long schema) {
        try {
            Schemas.release(schema);
        } catch (Throwable t) {
            // never unwind into C; the schema is marked released by Schemas.release's finally
        }
    }

    private static void releaseArray(long array) {
        try {
            Exporter.release(array);
        } catch (Throwable t) {
            // as above
        }
    }

    private static int getSchema(long stream, long out) {
        Stream s = STREAMS.get(word(stream + ST_PRIVATE));
        if (s == null) {
            return EIO;
        }
        try {
            Schemas.exportSchema(s.source.schema(), s.source.dictionaries(), out);
            return 0;
        } catch (Throwable t) {
            return fail(s, t);
        }
    }

    private static int getNext(long stream, long out) {
        Stream s = STREAMS.get(word(stream + ST_PRIVATE));
        if (s == null) {
            return EIO;
        }
        try {
            if (!s.source.next()) {
                segment(out, ARRAY_SIZE).fill((byte) 0); // release NULL: the end of the stream
                return 0;
            }
            Exporter.exportBatch(s.source.root(), s.source.dictionaries(), out);
            return 0;
        } catch (Throwable t) {
            return fail(s, t);
        }
    }

    private static synchronized int fail(Stream s, Throwable t) {
        if (s.lastError != 0) {
            free(s.lastError);
        }
        s.lastError = newString(t.getClass().getName() + ": " + t.getMessage());
        return EIO;
    }

    private static synchronized long getLastError(long stream) {
        Stream s = STREAMS.get(word(stream + ST_PRIVATE));
        return s == null ? 0 : s.lastError;
    }

    /** The release callback of every stream this module exports, on a thread the JVM knows. */
    static void releaseStream(long stream) {
        try {
            long id = word(stream + ST_PRIVATE);
            putWord(stream + ST_RELEASE, 0);
            releaseExported(id);
        } catch (Throwable t) {
            // never unwind into C
        }
    }

    /** The Java side of a stream's release: its source closed, its last error freed; once per id. */
    static void releaseExported(long id) throws Exception {
        Stream s = STREAMS.remove(id);
        if (s != null) {
            synchronized (Callbacks.class) {
                if (s.lastError != 0) {
                    free(s.lastError);
                    s.lastError = 0;
                }
            }
            s.source.close();
        }
    }
}
