package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Loads an imported {@code ArrowArray} into Arrow Java vectors without copying a value: every data,
 * offsets and validity buffer becomes an {@link ArrowBuf} over the producer's memory (see
 * {@link ImportedArray}). Arrow Java has no array offset, so a sliced array's buffers start at the
 * slice (a pointer moved forward), except bit buffers that start inside a byte: those (validity,
 * booleans) are copied, the one copy this path makes. An array without a validity buffer (no nulls)
 * gets a private mapping of {@link SharedOnes}' all-ones memory, as Arrow Java's vectors require one.
 */
final class Importer {

    private final ImportedArray owner;
    private final BufferAllocator allocator;
    private final Map<Long, Dictionary> dictionaries;

    private Importer(ImportedArray owner, BufferAllocator allocator, Map<Long, Dictionary> dictionaries) {
        this.owner = owner;
        this.allocator = allocator;
        this.dictionaries = dictionaries;
    }

    /**
     * Loads an array into {@code root}, then drops the importer's share: when {@code struct} (a
     * batch: a struct array), its children are the columns; else the array is the root's one column.
     */
    static void load(ImportedArray owner, VectorSchemaRoot root, Map<Long, Dictionary> dictionaries,
            BufferAllocator allocator, boolean struct) {
        try {
            long a = owner.struct();
            long length = word(a + A_LENGTH);
            long offset = word(a + A_OFFSET);
            List<FieldVector> vectors = root.getFieldVectors();
            if (length > Integer.MAX_VALUE) {
                throw new UnsupportedOperationException("a batch of " + length + " rows (Arrow Java vectors hold at most 2^31-1)");
            }
            Importer im = new Importer(owner, allocator, dictionaries);
            if (struct) {
                long n = word(a + A_N_CHILDREN);
                if (n != vectors.size()) {
                    throw new IllegalStateException("batch has " + n + " columns, the schema " + vectors.size());
                }
                long children = word(a + A_CHILDREN);
                for (int i = 0; i < n; i++) {
                    long child = word(children + 8L * i);
                    im.load(vectors.get(i), child, length, word(child + A_OFFSET) + offset);
                }
            } else {
                im.load(vectors.get(0), a, length, offset);
            }
            root.setRowCount((int) length);
        } finally {
            owner.release();
        }
    }

    private void load(FieldVector v, long arr, long length, long offset) {
        Field f = v.getField();
        ArrowType t = f.getType();
        long nullCount = word(arr + A_NULL_COUNT);
        long nBuffers = word(arr + A_N_BUFFERS);
        long buffers = word(arr + A_BUFFERS);
        List<ArrowBuf> own = new ArrayList<>(4);
        try {
            if (!(t instanceof ArrowType.Null)) {
                long validity = nBuffers > 0 ? word(buffers) : 0;
                if (validity == 0) {
                    nullCount = 0;
                    own.add(allValid(length));
                } else {
                    // Arrow Java keeps (retains) any non-empty validity buffer whatever the node's null
                    // count, and its vectors count nulls from the bitmap; the producer's count (-1,
                    // "unknown", allowed) is passed on as it is.
                    own.add(bits(validity, offset, length));
                }
            }
            switch (t) {
                case ArrowType.Null x -> { }
                case ArrowType.Bool x -> own.add(bits(word(buffers + 8), offset, length));
                case ArrowType.Utf8 x -> varWidth(own, buffers, offset, length, 4);
                case ArrowType.Binary x -> varWidth(own, buffers, offset, length, 4);
                case ArrowType.LargeUtf8 x -> varWidth(own, buffers, offset, length, 8);
                case ArrowType.LargeBinary x -> varWidth(own, buffers, offset, length, 8);
                case ArrowType.Utf8View x -> views(own, buffers, nBuffers, offset, length);
                case ArrowType.BinaryView x -> views(own, buffers, nBuffers, offset, length);
                case ArrowType.List x -> own.add(offsets(word(buffers + 8), offset, length, 4));
                case ArrowType.Map x -> own.add(offsets(word(buffers + 8), offset, length, 4));
                case ArrowType.LargeList x -> own.add(offsets(word(buffers + 8), offset, length, 8));
                case ArrowType.Struct x -> { }
                case ArrowType.FixedSizeList x -> { }
                default -> {
                    int w = byteWidth(t, f.getName());
                    own.add(fixed(word(buffers + 8), offset, length, w));
                }
            }
            v.loadFieldBuffers(new ArrowFieldNode(length, nullCount), own);
        } finally {
            for (ArrowBuf b : own) {
                b.close();
            }
        }
        List<FieldVector> kids = v.getChildrenFromFields();
        long nChildren = word(arr + A_N_CHILDREN);
        long children = word(arr + A_CHILDREN);
        if (kids.size() != nChildren) {
            throw new IllegalStateException("field '" + f.getName() + "' has " + nChildren + " children in C, "
                    + kids.size() + " in Java");
        }
        for (int i = 0; i < kids.size(); i++) {
            long c = word(children + 8L * i);
            long cOffset = word(c + A_OFFSET);
            switch (t) {
                case ArrowType.Struct x -> load(kids.get(i), c, length, cOffset + offset);
                case ArrowType.FixedSizeList l -> load(kids.get(i), c, length * l.getListSize(),
                        cOffset + offset * l.getListSize());
                default -> load(kids.get(i), c, word(c + A_LENGTH), cOffset);
            }
        }
        DictionaryEncoding enc = f.getDictionary();
        if (enc != null) {
            long d = word(arr + A_DICTIONARY);
            Dictionary dict = dictionaries.get(enc.getId());
            if (d == 0 || dict == null) {
                throw new IllegalStateException("dictionary-encoded field '" + f.getName() + "' came without its dictionary");
            }
            FieldVector dv = dict.getVector();
            long dl = word(d + A_LENGTH);
            load(dv, d, dl, word(d + A_OFFSET));
            dv.setValueCount((int) dl);
        }
    }

    private static int byteWidth(ArrowType t, String name) {
        return switch (t) {
            case ArrowType.Int i -> i.getBitWidth() / 8;
            case ArrowType.FloatingPoint p -> switch (p.getPrecision()) {
                case HALF -> 2;
                case SINGLE -> 4;
                case DOUBLE -> 8;
            };
            case ArrowType.Date d -> d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? 4 : 8;
            case ArrowType.Time tm -> tm.getBitWidth() / 8;
            case ArrowType.Timestamp ts -> 8;
            case ArrowType.Duration du -> 8;
            case ArrowType.Interval iv -> switch (iv.getUnit()) {
                case YEAR_MONTH -> 4;
                case DAY_TIME -> 8;
                case MONTH_DAY_NANO -> 16;
            };
            case ArrowType.Decimal dec -> dec.getBitWidth() / 8;
            case ArrowType.FixedSizeBinary b -> b.getByteWidth();
            default -> throw new UnsupportedOperationException("Arrow type " + t + " of field '" + name
                    + "' is not supported by pyjama-arrow");
        };
    }

    /**
     * The validity of an array that came without one: a mapping of {@link SharedOnes}, O(1); or,
     * where that is unavailable, the empty buffer, for which Arrow Java allocates and fills one itself.
     */
    private ArrowBuf allValid(long length) {
        ArrowBuf ones = SharedOnes.map(allocator, (length + 7) / 8);
        return ones != null ? ones : allocator.getEmpty();
    }

    /** A bitmap starting at bit {@code offset}: the producer's bytes when byte-aligned, else a shifted copy. */
    private ArrowBuf bits(long p, long offset, long length) {
        long bytes = (length + 7) / 8;
        if (p == 0) {
            return allocator.getEmpty();
        }
        if (offset % 8 == 0) {
            return owner.buffer(allocator, p + offset / 8, bytes);
        }
        ArrowBuf copy = allocator.buffer(bytes);
        copy.setZero(0, copy.capacity());
        for (long i = 0; i < length; i++) {
            long bit = offset + i;
            if ((ALL.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p + (bit >>> 3)) >> (bit & 7) & 1) != 0) {
                long b = i >>> 3;
                copy.setByte(b, copy.getByte(b) | (1 << (i & 7)));
            }
        }
        return copy;
    }

    private ArrowBuf fixed(long p, long offset, long length, int width) {
        if (p == 0) {
            if (length == 0) {
                return allocator.getEmpty();
            }
            throw new IllegalStateException("a data buffer is NULL for " + length + " values");
        }
        return owner.buffer(allocator, p + offset * width, length * width);
    }

    private ArrowBuf offsets(long p, long offset, long length, int width) {
        if (p == 0) {
            ArrowBuf zero = allocator.buffer((long) width * (length + 1));
            zero.setZero(0, zero.capacity());
            return zero;
        }
        return owner.buffer(allocator, p + offset * width, (length + 1) * width);
    }

    private void varWidth(List<ArrowBuf> own, long buffers, long offset, long length, int width) {
        long offsetsP = word(buffers + 8);
        own.add(offsets(offsetsP, offset, length, width));
        long end = offsetsP == 0 ? 0
                : width == 4 ? int32(offsetsP + (offset + length) * 4) : word(offsetsP + (offset + length) * 8);
        long data = word(buffers + 16);
        own.add(data == 0 || end == 0 ? allocator.getEmpty() : owner.buffer(allocator, data, end));
    }

    private void views(List<ArrowBuf> own, long buffers, long nBuffers, long offset, long length) {
        own.add(fixed(word(buffers + 8), offset, length, 16));
        long variadic = nBuffers - 3;
        long sizes = word(buffers + 8 * (nBuffers - 1));
        for (long i = 0; i < variadic; i++) {
            long p = word(buffers + 8 * (2 + i));
            long size = word(sizes + 8 * i);
            own.add(p == 0 || size == 0 ? allocator.getEmpty() : owner.buffer(allocator, p, size));
        }
    }
}
