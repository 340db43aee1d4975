package dev.pyjama.internal.convert;

import dev.pyjama.internal.bridge.JavaObjects;
import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.exceptions.PyRecursionError;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Strings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The natural Java value of a Python object (the target {@code Object}). The caller holds the GIL. */
final class NaturalValues {

    private NaturalValues() {}

    // --- the natural conversion ---

    /**
     * The closest Java value: None to null, bool to Boolean, int to Long or BigInteger, float to
     * Double, str to String, bytes to byte[], list and tuple to List, dict to Map, set and frozenset to
     * Set, Decimal to BigDecimal, datetime types to java.time, UUID, pathlib paths to Path; anything
     * else to a PyObject handle. Inside dict keys and set elements a tuple becomes an unmodifiable
     * List (a Java key must not change).
     */
    static Object toNatural(long o, int depth) {
        if (depth > Conversions.MAX_DEPTH) {
            throw new PyRecursionError(Conversions.NESTING + " (does a container contain itself?)");
        }
        if (CApi.isNone(o)) {
            return null;
        }
        long type = CApi.borrowedType(o);
        long flags = CApi.typeFlags(type);
        if (type == Abi.boolType()) {
            return o == Abi.trueObj();
        }
        if ((flags & Abi.TPFLAGS_LONG_SUBCLASS) != 0) {
            return ScalarValues.fitsLong(o) ? (Object) ScalarValues.toLong(o) : ScalarValues.toBigInteger(o);
        }
        if (type == Abi.floatType()) {
            return ScalarValues.toDouble(o);
        }
        if ((flags & Abi.TPFLAGS_UNICODE_SUBCLASS) != 0) {
            return Strings.toJava(o);
        }
        if ((flags & Abi.TPFLAGS_BYTES_SUBCLASS) != 0) {
            return ScalarValues.toBytes(o);
        }
        if ((flags & (Abi.TPFLAGS_LIST_SUBCLASS | Abi.TPFLAGS_TUPLE_SUBCLASS)) != 0) {
            if (!ToJava.isExactListOrTuple(o)) {
                // A subclass is iterated (its __iter__ honoured, its __len__ never trusted).
                return ToJava.toCollection(o, List.class, Object.class, depth); // an ArrayList
            }
            List<Object> list = new ArrayList<>((int) Math.min(ToJava.storedSize(o), Integer.MAX_VALUE - 8));
            // One state of a list, even while other threads change it; converted outside its critical section.
            Containers.forEachItem(o, (i, item) -> {
                try {
                    list.add(toNatural(item, depth + 1));
                } catch (RuntimeException e) {
                    throw ConversionErrors.PathError.at("[" + i + "]", e);
                }
            });
            return list;
        }
        if ((flags & Abi.TPFLAGS_DICT_SUBCLASS) != 0) {
            Map<Object, Object> map = new LinkedHashMap<>();
            // Keys with their own values, one state of the dict; converted outside its critical section
            // (converting may run Python code).
            Containers.forEachDictItem(o, (k, v) -> {
                Object key;
                try {
                    key = naturalKey(k, depth + 1);
                } catch (RuntimeException e) {
                    throw ConversionErrors.PathError.at("{" + ConversionErrors.keyText(k) + "}", e);
                }
                try {
                    map.put(key, toNatural(v, depth + 1));
                } catch (RuntimeException e) {
                    throw ConversionErrors.PathError.at("[" + ConversionErrors.keyText(k) + "]", e);
                }
            });
            return map;
        }
        if (type == Abi.setType() || type == Abi.frozenSetType()) {
            Set<Object> set = new LinkedHashSet<>();
            long it = Containers.newSetReadingIter(o);
            try {
                long item;
                while ((item = CApi.newNextOrZero(it)) != 0) {
                    try {
                        set.add(naturalKey(item, depth + 1));
                    } catch (RuntimeException e) {
                        throw ConversionErrors.PathError.at("{" + ConversionErrors.keyText(item) + "}", e);
                    } finally {
                        CApi.decRef(item);
                    }
                }
            } finally {
                CApi.decRef(it);
            }
            return set;
        }
        if (CApi.isSubtype(type, Abi.floatType())) {
            return ScalarValues.toDouble(o); // float subclasses, such as numpy.float64
        }
        Object held = JavaObjects.heldBy(o);
        if (held != JavaObjects.NOT_JAVA) {
            return held; // a Java object Python held is itself again
        }
        PyConverter<?> known = KnownTypes.converterFor(type);
        if (known != null) {
            return ToJava.toJavaVia(known, o);
        }
        if (DataScalars.isNatural(o)) {
            return ToJava.toJavaVia(DataScalars.NATURAL, o); // numpy's datetime64 / timedelta64, pandas.NA
        }
        CApi.incRef(o);
        return ApiAccess.handles().bindNew(o);
    }

    /** The natural value of a dict key or set element: lists from tuples are unmodifiable. */
    static Object naturalKey(long o, int depth) {
        Object v = toNatural(o, depth);
        return v instanceof List<?> list ? Collections.unmodifiableList(list) : v;
    }

    /**
     * The Python types of the natural conversion that are not built in: found in {@code sys.modules}
     * once their module has been imported (an object of the type cannot exist before that), then kept.
     */
    static final class KnownTypes {
        private static final String[][] NAMES = {{"datetime", "date"}, {"datetime", "time"},
            {"datetime", "timedelta"}, {"decimal", "Decimal"}, {"uuid", "UUID"}, {"pathlib", "PurePath"}};
        private static final PyConverter<?>[] CONVERTERS = {TimeConverters.NATURAL, TimeConverters.NATURAL,
            TimeConverters.NATURAL, BuiltinConverters.NATURAL_DECIMAL, BuiltinConverters.UUIDS,
            BuiltinConverters.PATHS};
        private static final long[] TYPES = new long[NAMES.length];

        static PyConverter<?> converterFor(long type) {
            for (int i = 0; i < NAMES.length; i++) {
                long t = resolve(i);
                if (t != 0 && CApi.isSubtype(type, t)) {
                    return CONVERTERS[i];
                }
            }
            return null;
        }

        /** The type, or 0 while its module is not imported. Races only create a second reference to keep. */
        private static long resolve(int i) {
            long t = TYPES[i];
            if (t != 0) {
                return t;
            }
            long module = CApi.newImportedModuleOrZero(Names.get(NAMES[i][0]));
            if (module == 0) {
                return 0;
            }
            try {
                long found = CApi.newGetAttrOrZero(module, Names.get(NAMES[i][1]));
                if (found == 0) {
                    return 0;
                }
                // OWNERSHIP: kept for the interpreter's life (one per process), so the address stays this type.
                TYPES[i] = found;
                return found;
            } finally {
                CApi.decRef(module);
            }
        }
    }
}
