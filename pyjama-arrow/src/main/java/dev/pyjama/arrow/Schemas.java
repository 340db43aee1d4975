package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code ArrowSchema} to Arrow Java's {@link Schema} and back. Imported schemas are read, copied
 * into Java objects and released at once. Fields come in Arrow Java's message format: a
 * dictionary-encoded field has the dictionary's value type and a {@link DictionaryEncoding} whose id
 * is given in pre-order from 0.
 */
final class Schemas {

    private Schemas() {}

    /** The schema of a stream (a struct whose children are the columns); does not release it. */
    static Schema importSchema(long schema) {
        String format = string(word(schema + S_FORMAT));
        if (!"+s".equals(format)) {
            throw new IllegalArgumentException("a stream's schema must be a struct ('+s'), not '" + format + "'");
        }
        AtomicLong ids = new AtomicLong();
        long n = word(schema + S_N_CHILDREN);
        long children = word(schema + S_CHILDREN);
        List<Field> fields = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            fields.add(importField(word(children + 8 * i), ids));
        }
        return new Schema(fields, metadata(word(schema + S_METADATA)));
    }

    /**
     * The schema of an exported array ({@code __arrow_c_array__}): a struct's children are the
     * columns, as in a record batch; any other array is one column, named as the array is (often
     * {@code ""}). Does not release it.
     */
    static Schema importArraySchema(long schema) {
        if ("+s".equals(string(word(schema + S_FORMAT)))) {
            return importSchema(schema);
        }
        return new Schema(List.of(importField(schema, new AtomicLong())));
    }

    static Field importField(long schema, AtomicLong ids) {
        String format = string(word(schema + S_FORMAT));
        String name = string(word(schema + S_NAME));
        long flags = word(schema + S_FLAGS);
        Map<String, String> meta = metadata(word(schema + S_METADATA));
        long dictionary = word(schema + S_DICTIONARY);
        DictionaryEncoding encoding = null;
        ArrowType type;
        long childSchema = schema;
        if (dictionary != 0) {
            ArrowType index = Formats.toType(format, name, flags);
            if (!(index instanceof ArrowType.Int indexType)) {
                throw Formats.unsupported(format, name, "a dictionary index that is not an integer");
            }
            encoding = new DictionaryEncoding(ids.getAndIncrement(), (flags & FLAG_DICTIONARY_ORDERED) != 0, indexType);
            String valueFormat = string(word(dictionary + S_FORMAT));
            type = Formats.toType(valueFormat, name, word(dictionary + S_FLAGS));
            childSchema = dictionary;
        } else {
            type = Formats.toType(format, name, flags);
        }
        long n = word(childSchema + S_N_CHILDREN);
        long children = word(childSchema + S_CHILDREN);
        List<Field> kids = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            kids.add(importField(word(children + 8 * i), ids));
        }
        return new Field(name == null ? "" : name,
                new FieldType((flags & FLAG_NULLABLE) != 0, type, encoding, meta), kids);
    }

    /** The C Data Interface's metadata encoding (int32 count, then int32-length-prefixed keys and values). */
    static Map<String, String> metadata(long p) {
        if (p == 0) {
            return null;
        }
        int n = int32(p);
        long at = p + 4;
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int kl = int32(at);
            String k = new String(segment(at + 4, kl).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            at += 4 + kl;
            int vl = int32(at);
            String v = new String(segment(at + 4, vl).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            at += 4 + vl;
            m.put(k, v);
        }
        return m;
    }

    // --- export ---

    /**
     * What an exported ArrowSchema node owns: its C memory, freed by its release, and the structs
     * of its children and dictionary within it (found here, not through the released struct).
     */
    private record Exported(long[] allocations, long[] nodes) {}

    private static final ConcurrentHashMap<Long, Exported> EXPORTED = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /** Fills {@code out} (an ArrowSchema) with a struct whose children are the schema's fields. */
    static void exportSchema(Schema schema, DictionaryProvider dictionaries, long out) {
        List<Field> fields = schema.getFields();
        fill(out, "+s", "", schema.getCustomMetadata(), 0, fields, null, dictionaries);
    }

    /** Fills {@code out} with {@code field} (memory format: a dictionary-encoded field has the index type). */
    static void exportField(Field field, DictionaryProvider dictionaries, long out) {
        DictionaryEncoding enc = field.getDictionary();
        long flags = field.isNullable() ? FLAG_NULLABLE : 0;
        if (enc == null) {
            if (field.getType() instanceof ArrowType.Map m && m.getKeysSorted()) {
                flags |= FLAG_MAP_KEYS_SORTED;
            }
            fill(out, Formats.toFormat(field.getType(), field.getName()), field.getName(), field.getMetadata(), flags,
                    field.getChildren(), null, dictionaries);
            return;
        }
        if (enc.isOrdered()) {
            flags |= FLAG_DICTIONARY_ORDERED;
        }
        Dictionary d = dictionaries == null ? null : dictionaries.lookup(enc.getId());
        if (d == null) {
            throw new IllegalArgumentException("field '" + field.getName() + "' is dictionary-encoded (id " + enc.getId()
                    + ") but no dictionary with that id was given");
        }
        ArrowType index = enc.getIndexType();
        // In memory format the field's own type is the index type already; the encoding says which.
        fill(out, Formats.toFormat(index, field.getName()), field.getName(), field.getMetadata(), flags,
                List.of(), d.getVector().getField(), dictionaries);
    }

    private static void fill(long out, String format, String name, Map<String, String> metadata, long flags,
            List<Field> children, Field dictionary, DictionaryProvider dictionaries) {
        int n = children.size();
        long formatP = newString(format);
        long nameP = newString(name == null ? "" : name);
        long metaP = encodeMetadata(metadata);
        long kids = n == 0 ? 0 : calloc(8L * n + SCHEMA_SIZE * n);
        long dict = dictionary == null ? 0 : calloc(SCHEMA_SIZE);
        long id = IDS.incrementAndGet();
        long[] nodes = new long[n + (dict != 0 ? 1 : 0)];
        for (int i = 0; i < n; i++) {
            nodes[i] = kids + 8L * n + SCHEMA_SIZE * i;
        }
        if (dict != 0) {
            nodes[n] = dict;
        }
        EXPORTED.put(id, new Exported(new long[] {formatP, nameP, metaP, kids, dict}, nodes));
        for (int i = 0; i < n; i++) {
            long child = kids + 8L * n + SCHEMA_SIZE * i;
            putWord(kids + 8L * i, child);
            exportField(children.get(i), dictionaries, child);
        }
        if (dict != 0) {
            exportField(dictionary, dictionaries, dict);
        }
        putWord(out + S_FORMAT, formatP);
        putWord(out + S_NAME, nameP);
        putWord(out + S_METADATA, metaP);
        putWord(out + S_FLAGS, flags);
        putWord(out + S_N_CHILDREN, n);
        putWord(out + S_CHILDREN, kids);
        putWord(out + S_DICTIONARY, dict);
        putWord(out + S_PRIVATE, id);
        putWord(out + S_RELEASE, ForeignCalls.releaseSchema);
    }

    /** The release callback of every schema this module exports, on a thread the JVM knows. */
    static void release(long schema) {
        long id = word(schema + S_PRIVATE);
        putWord(schema + S_RELEASE, 0);
        releaseExported(id);
    }

    /** The Java side of releasing exported schema node {@code id}, once: children still in place first. */
    static void releaseExported(long id) {
        Exported e = EXPORTED.remove(id);
        if (e == null) {
            return;
        }
        try {
            for (long node : e.nodes()) {
                if (word(node + S_RELEASE) != 0) {
                    release(node);
                }
            }
        } finally {
            for (long a : e.allocations()) {
                if (a != 0) {
                    free(a);
                }
            }
        }
    }

    private static long encodeMetadata(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return 0;
        }
        List<byte[]> parts = new ArrayList<>();
        int size = 4;
        for (var e : m.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            parts.add(k);
            parts.add(v);
            size += 8 + k.length + v.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        b.putInt(m.size());
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        long p = calloc(size);
        java.lang.foreign.MemorySegment.copy(b.array(), 0, ALL, java.lang.foreign.ValueLayout.JAVA_BYTE, p, size);
        return p;
    }
}
