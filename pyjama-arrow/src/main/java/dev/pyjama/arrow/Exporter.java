package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;

/**
 * Fills {@code ArrowArray}s from Arrow Java vectors without copying a value: each buffer's
 * address goes to C, and the buffer is retained until the consumer calls the array's
 * {@code release} (from any thread: see {@link ForeignCalls}). Arrow Java keeps no array offset, so
 * every exported array has offset 0.
 */
final class Exporter {

    private Exporter() {}

    /**
     * What an exported node holds: retained buffers, this module's C memory, and the structs of its
     * children and dictionary, which live in that memory (a release finds them here, not through
     * the released struct, which the consumer may have freed by the time Java runs it).
     */
    private record Exported(List<ArrowBuf> buffers, long memory, long[] nodes) {}

    private static final ConcurrentHashMap<Long, Exported> EXPORTED = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /** Eight zero bytes: the offsets buffer of an empty variable-width vector that never allocated one. */
    private static final MemorySegment ZERO_OFFSETS = Arena.global().allocate(16);

    /** Fills {@code out} with the root's current batch: a struct array, one child per column. */
    static void exportBatch(VectorSchemaRoot root, DictionaryProvider dictionaries, long out) {
        List<FieldVector> vectors = root.getFieldVectors();
        int n = vectors.size();
        long memory = calloc(8 + 8L * n + ARRAY_SIZE * n);
        long buffers = memory;
        long children = memory + 8;
        for (int i = 0; i < n; i++) {
            long child = memory + 8 + 8L * n + ARRAY_SIZE * i;
            putWord(children + 8L * i, child);
            exportVector(vectors.get(i), dictionaries, child);
        }
        fill(out, root.getRowCount(), 0, 1, buffers, n, children, 0, List.of(), memory, nodes(children, n, 0));
    }

    static void exportVector(FieldVector v, DictionaryProvider dictionaries, long out) {
        ArrowType t = v.getField().getType();
        List<ArrowBuf> buffers = new ArrayList<>(v.getFieldBuffers());
        long sizesBuffer = 0;
        if (t instanceof ArrowType.Null) {
            buffers.clear();
        }
        int nBuffers = buffers.size();
        if (v instanceof BaseVariableWidthViewVector) {
            nBuffers++; // the C interface's last buffer: the sizes of the variadic data buffers
        }
        List<FieldVector> kids = v.getChildrenFromFields();
        int n = kids.size();
        DictionaryEncoding enc = v.getField().getDictionary();
        long memory = calloc(8L * nBuffers + 8L * n + ARRAY_SIZE * n + (enc != null ? ARRAY_SIZE : 0)
                + (v instanceof BaseVariableWidthViewVector ? 8L * (buffers.size() - 2) : 0));
        long bufs = memory;
        long children = memory + 8L * nBuffers;
        long dict = enc != null ? children + 8L * n + ARRAY_SIZE * n : 0;
        boolean varWidth = t instanceof ArrowType.Utf8 || t instanceof ArrowType.Binary
                || t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.LargeBinary
                || t instanceof ArrowType.List || t instanceof ArrowType.LargeList || t instanceof ArrowType.Map;
        // An all-valid column imported without a bitmap goes out without one, its null count known (0).
        boolean noNulls = !buffers.isEmpty() && SharedOnes.unwritten(buffers.get(0));
        for (int i = 0; i < buffers.size(); i++) {
            ArrowBuf b = buffers.get(i);
            long address = b.capacity() == 0 || (i == 0 && noNulls) ? 0 : b.memoryAddress();
            if (address == 0 && varWidth && i == 1) {
                address = ZERO_OFFSETS.address(); // C consumers read offsets[0] even for no values
            }
            putWord(bufs + 8L * i, address);
            b.getReferenceManager().retain();
        }
        if (v instanceof BaseVariableWidthViewVector) {
            sizesBuffer = dict != 0 ? dict + ARRAY_SIZE : children + 8L * n + ARRAY_SIZE * n;
            for (int i = 2; i < buffers.size(); i++) {
                putWord(sizesBuffer + 8L * (i - 2), buffers.get(i).capacity());
            }
            putWord(bufs + 8L * (nBuffers - 1), sizesBuffer);
        }
        for (int i = 0; i < n; i++) {
            long child = children + 8L * n + ARRAY_SIZE * i;
            putWord(children + 8L * i, child);
            exportVector(kids.get(i), dictionaries, child);
        }
        if (enc != null) {
            Dictionary d = dictionaries == null ? null : dictionaries.lookup(enc.getId());
            if (d == null) {
                throw new IllegalArgumentException("field '" + v.getField().getName() + "' is dictionary-encoded (id "
                        + enc.getId() + ") but no dictionary with that id was given");
            }
            exportVector(d.getVector(), dictionaries, dict);
        }
        // -1, "not computed", as the C Data Interface allows: Arrow Java would count the validity
        // bitmap (O(rows / 8) per column) only to tell the consumer what it can count when it needs to.
        long nulls = t instanceof ArrowType.Null ? v.getValueCount() : noNulls ? 0 : -1;
        fill(out, v.getValueCount(), nulls, nBuffers, bufs, n, children, dict, buffers, memory, nodes(children, n, dict));
    }

    private static long[] nodes(long children, int n, long dictionary) {
        long[] nodes = new long[n + (dictionary != 0 ? 1 : 0)];
        for (int i = 0; i < n; i++) {
            nodes[i] = word(children + 8L * i);
        }
        if (dictionary != 0) {
            nodes[n] = dictionary;
        }
        return nodes;
    }

    private static void fill(long out, long length, long nullCount, long nBuffers, long buffers, long nChildren,
            long children, long dictionary, List<ArrowBuf> retained, long memory, long[] nodes) {
        long id = IDS.incrementAndGet();
        EXPORTED.put(id, new Exported(retained, memory, nodes));
        putWord(out + A_LENGTH, length);
        putWord(out + A_NULL_COUNT, nullCount);
        putWord(out + A_OFFSET, 0);
        putWord(out + A_N_BUFFERS, nBuffers);
        putWord(out + A_N_CHILDREN, nChildren);
        putWord(out + A_BUFFERS, buffers);
        putWord(out + A_CHILDREN, nChildren == 0 ? 0 : children);
        putWord(out + A_DICTIONARY, dictionary);
        putWord(out + A_PRIVATE, id);
        putWord(out + A_RELEASE, ForeignCalls.releaseArray);
    }

    /** The release callback of every array this module exports, on a thread the JVM knows. */
    static void release(long array) {
        long id = word(array + A_PRIVATE);
        putWord(array + A_RELEASE, 0);
        releaseExported(id);
    }

    /**
     * The Java side of releasing exported node {@code id}, once: the children and dictionary still
     * in place (those the consumer did not move out; a moved one is released on its own), then the
     * node's buffers and memory.
     */
    static void releaseExported(long id) {
        Exported e = EXPORTED.remove(id);
        if (e == null) {
            return;
        }
        try {
            for (long node : e.nodes()) {
                if (word(node + A_RELEASE) != 0) {
                    release(node);
                }
            }
        } finally {
            for (ArrowBuf b : e.buffers()) {
                b.getReferenceManager().release();
            }
            free(e.memory());
        }
    }

    /** How many exported arrays are not released yet (for tests). */
    static int live() {
        return EXPORTED.size();
    }
}
