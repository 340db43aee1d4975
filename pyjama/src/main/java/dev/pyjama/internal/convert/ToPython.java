package dev.pyjama.internal.convert;


import dev.pyjama.Py;
import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.bridge.InterfaceProxies;
import dev.pyjama.internal.bridge.JavaFutures;
import dev.pyjama.internal.bridge.JavaObjects;
import dev.pyjama.internal.convert.ConverterRegistry;
import dev.pyjama.internal.runtime.Scope;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Scalars;
import dev.pyjama.internal.abi.Strings;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Java values to new Python objects: the Java -> Python half of {@link Conversions}. The caller holds the GIL. */
final class ToPython {

    private ToPython() {}

    /** A new reference to the Python form of {@code value}. */
    public static long newToPython(Object value) {
        return newToPython(value, 0, false);
    }

    static long newToPython(Object value, int depth, boolean hashable) {
        if (value instanceof String s) {
            return Strings.newStr(s);
        }
        if (value == null) {
            return CApi.newRef(Abi.none());
        }
        if (value instanceof Long l) {
            return Scalars.newInt(l);
        }
        if (value instanceof Integer i) {
            return Scalars.newInt(i);
        }
        long handle = ApiAccess.handles().borrowedAddress(value);
        if (handle != 0) {
            return CApi.newRef(handle);
        }
        if (value instanceof Boolean b) {
            return CApi.newRef(b ? Abi.trueObj() : Abi.falseObj());
        }
        if (value instanceof Double d) {
            return Scalars.newFloat(d);
        }
        if (value instanceof Float f) {
            return Scalars.newFloat(f);
        }
        if (value instanceof Short s) {
            return Scalars.newInt(s);
        }
        if (value instanceof Byte b) {
            return Scalars.newInt(b);
        }
        if (value instanceof BigInteger big) {
            return newInt(big);
        }
        if (value instanceof Character c) {
            return Strings.newStr(String.valueOf(c));
        }
        if (value instanceof byte[] bytes) {
            return newBytes(bytes);
        }
        return newToPythonSlow(value, depth, hashable);
    }

    static long newToPythonSlow(Object value, int depth, boolean hashable) {
        if (depth > Conversions.MAX_DEPTH) {
            throw new IllegalArgumentException("pyjama cannot convert a Java value to Python: " + Conversions.NESTING
                    + " (does a collection contain itself?)");
        }
        Class<?> c = value.getClass();
        long proxied = InterfaceProxies.borrowedTarget(value);
        if (proxied != 0) {
            return CApi.newRef(proxied); // a Python object implementing a Java interface goes back as itself
        }
        PyConverter<?> converter = ConverterRegistry.forValue(c);
        if (converter != null) {
            return toPythonVia(converter, value);
        }
        if (value instanceof CharSequence cs) {
            return Strings.newStr(cs.toString());
        }
        if (value instanceof ByteBuffer buffer) {
            return newBytes(buffer);
        }
        if (value instanceof Optional<?> o) {
            return o.isPresent() ? newToPython(o.get(), depth + 1, hashable) : CApi.newRef(Abi.none());
        }
        if (value instanceof OptionalInt o) {
            return o.isPresent() ? newToPython(o.getAsInt(), depth, hashable) : CApi.newRef(Abi.none());
        }
        if (value instanceof OptionalLong o) {
            return o.isPresent() ? newToPython(o.getAsLong(), depth, hashable) : CApi.newRef(Abi.none());
        }
        if (value instanceof OptionalDouble o) {
            return o.isPresent() ? newToPython(o.getAsDouble(), depth, hashable) : CApi.newRef(Abi.none());
        }
        if (value instanceof Map<?, ?> map) {
            return newDict(map, depth);
        }
        if (value instanceof Set<?> set) {
            return newSet(set, depth, hashable);
        }
        if (value instanceof Collection<?> collection) {
            return newSequence(collection, depth, hashable);
        }
        if (c.isArray()) {
            return newArray(value, depth, hashable);
        }
        if (c.isRecord()) {
            return Records.newToPython((Record) value, depth, hashable);
        }
        if (value instanceof Iterable<?> iterable) {
            List<Object> copy = new ArrayList<>();
            iterable.forEach(copy::add);
            return newSequence(copy, depth, hashable);
        }
        if (value instanceof CompletionStage<?> stage) {
            return JavaFutures.newJavaFuture(stage); // awaitable in Python
        }
        // No conversion: Python gets the object itself, as a pyjama.JavaObject (if the host access
        // policy lets Python hold one of its class).
        return JavaObjects.newProxy(value);
    }


    /** Runs a converter towards Python in a nested scope, so its temporaries are released at once. */
    static long toPythonVia(PyConverter<?> converter, Object value) {
        Scope inner = Scope.currentOrNull() != null ? Scope.open() : null;
        try {
            return ApiAccess.handles().toPythonVia(converter, value);
        } finally {
            if (inner != null) {
                inner.close();
            }
        }
    }

    static long newInt(BigInteger big) {
        if (big.bitLength() < 64) {
            return Scalars.newInt(big.longValue());
        }
        // Hexadecimal text is not subject to the int/str digit limit of Python 3.11+.
        try (Arena arena = Arena.ofConfined()) {
            return Scalars.newIntFromText(arena.allocateFrom(big.toString(16)), 16);
        }
    }

    static long newBytes(byte[] bytes) {
        return Containers.newBytes(bytes);
    }

    /** The bytes between the buffer's position and limit; the buffer itself is not moved. */
    static long newBytes(ByteBuffer b) {
        return Containers.newBytes(MemorySegment.ofBuffer(b));
    }

    static long newDict(Map<?, ?> map, int depth) {
        long dict = CApi.newDict();
        try {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                long k = newToPython(e.getKey(), depth + 1, true);
                try {
                    long v = newToPython(e.getValue(), depth + 1, false);
                    try {
                        CApi.dictSetItem(dict, k, v);
                    } finally {
                        CApi.decRef(v);
                    }
                } finally {
                    CApi.decRef(k);
                }
            }
            return dict;
        } catch (RuntimeException | Error e) {
            CApi.decRef(dict);
            throw e;
        }
    }

    /** A set, or a frozenset when it must be hashable; its elements are converted hashable. */
    static long newSet(Collection<?> items, int depth, boolean frozen) {
        long set = frozen ? Containers.newFrozenSet(0) : Containers.newSet(0);
        try {
            for (Object item : items) {
                long v = newToPython(item, depth + 1, true);
                try {
                    // OWNERSHIP: PySet_Add also fills a brand-new frozenset that nobody else has seen yet.
                    Containers.setAdd(set, v);
                } finally {
                    CApi.decRef(v);
                }
            }
            return set;
        } catch (RuntimeException | Error e) {
            CApi.decRef(set);
            throw e;
        }
    }

    /** A list, or a tuple when it must be hashable. */
    static long newSequence(Collection<?> items, int depth, boolean tuple) {
        int n = items.size();
        long seq = tuple ? CApi.newTuple(n) : CApi.newListOfSize(n);
        try {
            int i = 0;
            for (Object item : items) {
                if (i == n) {
                    throw new ConcurrentModificationException("the collection grew while being converted");
                }
                setStolen(seq, i++, newToPython(item, depth + 1, tuple), tuple);
            }
            if (i != n) {
                throw new ConcurrentModificationException("the collection shrank while being converted");
            }
            return seq;
        } catch (RuntimeException | Error e) {
            // OWNERSHIP: slots not yet filled are NULL; list and tuple deallocation skip them.
            CApi.decRef(seq);
            throw e;
        }
    }

    static void setStolen(long seq, long i, long stolen, boolean tuple) {
        if (tuple) {
            CApi.tupleSetStolen(seq, i, stolen);
        } else {
            Containers.listSetStolen(seq, i, stolen);
        }
    }

    /** A Java array as a list (a tuple when it must be hashable); byte[] is handled before, as bytes. */
    static long newArray(Object array, int depth, boolean tuple) {
        int n = Array.getLength(array);
        long seq = tuple ? CApi.newTuple(n) : CApi.newListOfSize(n);
        try {
            switch (array) {
                case int[] a -> {
                    for (int i = 0; i < n; i++) {
                        setStolen(seq, i, Scalars.newInt(a[i]), tuple);
                    }
                }
                case long[] a -> {
                    for (int i = 0; i < n; i++) {
                        setStolen(seq, i, Scalars.newInt(a[i]), tuple);
                    }
                }
                case double[] a -> {
                    for (int i = 0; i < n; i++) {
                        setStolen(seq, i, Scalars.newFloat(a[i]), tuple);
                    }
                }
                case Object[] a -> {
                    for (int i = 0; i < n; i++) {
                        setStolen(seq, i, newToPython(a[i], depth + 1, tuple), tuple);
                    }
                }
                default -> {
                    // float[], short[], char[], boolean[]: boxed one by one.
                    for (int i = 0; i < n; i++) {
                        setStolen(seq, i, newToPython(Array.get(array, i), depth + 1, tuple), tuple);
                    }
                }
            }
            return seq;
        } catch (RuntimeException | Error e) {
            CApi.decRef(seq);
            throw e;
        }
    }
}
