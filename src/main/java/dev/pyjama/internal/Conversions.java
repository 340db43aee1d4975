package dev.pyjama.internal;

import dev.pyjama.internal.abi.TypeChecks;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.Scalars;
import dev.pyjama.internal.abi.Symbol;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Scratch;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.Py;
import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyRecursionError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.internal.convert.BuiltinConverters;
import dev.pyjama.internal.convert.GenericTypes;
import dev.pyjama.internal.convert.TimeConverters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Java values to Python objects and back. The caller holds the GIL.
 *
 * <p>Java to Python ({@link #newToPython}): the fast paths (null, PyObject / Py, String, the boxed
 * primitives, BigInteger, byte[]) first; then the registered {@link PyConverter}s (user ones, then
 * the built-in ones for {@code java.time}, BigDecimal, UUID, Path and enums, see
 * {@link ConverterRegistry}); then the structural rules: CharSequence to str, ByteBuffer to bytes,
 * Optional, Map to dict, Set to set, other Collections, Iterables and arrays to list, records to a
 * named tuple. Inside a dict key or a set element (where Python needs a hashable value) a
 * collection or array becomes a tuple and a Set a frozenset, so {@code Map<List<Integer>, V>} works.
 *
 * <p>Python to Java ({@link #toJava(long, Type)}) is strict about kinds (a str is not a number, an
 * int is not a bool) and exact about values: an int that does not fit the Java type is an
 * {@code OverflowError}, never a wrap. None converts to null only for an Object target, to an
 * empty Optional, or to a handle; for any other target it is a TypeError (as in PyO3: ask for
 * {@code Optional<String>} to accept None). An error inside a container
 * names the path to the bad element: {@code [3]["x"]: expected int, got str}.
 *
 * <p>Nesting is limited to {@value #MAX_DEPTH} levels both ways (which also stops self-containing
 * structures): Java to Python throws {@link IllegalArgumentException}, Python to Java
 * {@link PyRecursionError}, never a {@link StackOverflowError}.
 */
public final class Conversions {

    /** How deep containers may nest in a conversion. */
    public static final int MAX_DEPTH = 1000;

    private static final String NESTING = "nesting deeper than " + MAX_DEPTH + " levels";

    private Conversions() {}

    // =====================================================================================
    // Java -> Python
    // =====================================================================================

    /** A new reference to the Python form of {@code value}. */
    public static long newToPython(Object value) {
        return newToPython(value, 0, false);
    }

    private static long newToPython(Object value, int depth, boolean hashable) {
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

    private static long newToPythonSlow(Object value, int depth, boolean hashable) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("pyjama cannot convert a Java value to Python: " + NESTING
                    + " (does a collection contain itself?)");
        }
        Class<?> c = value.getClass();
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
        throw new IllegalArgumentException("pyjama cannot convert a " + c.getName() + " to a Python object "
                + "(supported: null, boxed primitives, BigInteger, BigDecimal, CharSequence, byte[], ByteBuffer, "
                + "Optional, Map, Collection, Iterable, arrays, records, enums, java.time, UUID, Path, PyObject, Py; "
                + "register a PyConverter for others)");
    }


    /** Runs a converter towards Python in a nested scope, so its temporaries are released at once. */
    private static long toPythonVia(PyConverter<?> converter, Object value) {
        Scope inner = Scope.currentOrNull() != null ? Scope.open() : null;
        try {
            return ApiAccess.handles().toPythonVia(converter, value);
        } finally {
            if (inner != null) {
                inner.close();
            }
        }
    }

    private static long newInt(BigInteger big) {
        if (big.bitLength() < 64) {
            return Scalars.newInt(big.longValue());
        }
        // Hexadecimal text is not subject to the int/str digit limit of Python 3.11+.
        try (Arena arena = Arena.ofConfined()) {
            return Scalars.newIntFromText(arena.allocateFrom(big.toString(16)), 16);
        }
    }

    private static long newBytes(byte[] bytes) {
        MemorySegment buffer = Scratch.bytes(bytes.length);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
        return Containers.newBytes(buffer.address(), bytes.length);
    }

    /** The bytes between the buffer's position and limit; the buffer itself is not moved. */
    private static long newBytes(ByteBuffer b) {
        int n = b.remaining();
        MemorySegment buffer = Scratch.bytes(n);
        MemorySegment.copy(MemorySegment.ofBuffer(b), 0, buffer, 0, n);
        return Containers.newBytes(buffer.address(), n);
    }

    private static long newDict(Map<?, ?> map, int depth) {
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
    private static long newSet(Collection<?> items, int depth, boolean frozen) {
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
    private static long newSequence(Collection<?> items, int depth, boolean tuple) {
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

    private static void setStolen(long seq, long i, long stolen, boolean tuple) {
        if (tuple) {
            CApi.tupleSetStolen(seq, i, stolen);
        } else {
            Containers.listSetStolen(seq, i, stolen);
        }
    }

    /** A Java array as a list (a tuple when it must be hashable); byte[] is handled before, as bytes. */
    private static long newArray(Object array, int depth, boolean tuple) {
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

    // =====================================================================================
    // Python -> Java
    // =====================================================================================

    /** The Java value of {@code o} (borrowed) as {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> T toJava(long o, Class<T> type) {
        if (type == long.class && !CApi.isNone(o)) {
            return (T) (Object) toLong(o); // the commonest targets, without the general dispatch
        }
        if (type == double.class && CApi.borrowedType(o) == Abi.floatType()) {
            return (T) (Object) toDouble(o);
        }
        Object result;
        try {
            result = convertClass(o, type, type, 0);
        } catch (PathError e) {
            throw e.rebuild();
        }
        return type.isPrimitive() ? (T) result : type.cast(result);
    }

    /**
     * The Java value of {@code o} (borrowed) as a possibly generic {@code type}: a Class, a
     * ParameterizedType ({@code List<Map<String, Long>>}), a GenericArrayType, a wildcard (its bound)
     * or a type variable (its first bound).
     */
    public static Object toJava(long o, Type type) {
        try {
            return convert(o, type, 0);
        } catch (PathError e) {
            throw e.rebuild();
        }
    }

    private static Object convert(long o, Type type, int depth) {
        if (type instanceof Class<?> c) {
            return convertClass(o, c, c, depth);
        }
        if (type instanceof ParameterizedType p) {
            return convertClass(o, (Class<?>) p.getRawType(), p, depth);
        }
        if (type instanceof GenericArrayType g) {
            return toArray(o, g.getGenericComponentType(), depth);
        }
        if (type instanceof WildcardType w) {
            return convert(o, GenericTypes.bound(w), depth);
        }
        if (type instanceof TypeVariable<?> v) {
            return convert(o, v.getBounds()[0], depth);
        }
        throw new IllegalArgumentException("pyjama cannot convert a Python object to " + type.getTypeName());
    }

    private static Object convertClass(long o, Class<?> c, Type full, int depth) {
        if (depth > MAX_DEPTH) {
            throw new PyRecursionError(NESTING + " (does a container contain itself?)");
        }
        if (CApi.isNone(o)) {
            return fromNone(o, c, full);
        }
        if (c == String.class || c == CharSequence.class) {
            return toJavaString(o);
        }
        if (c == Object.class) {
            return toNatural(o, depth);
        }
        if (c.isPrimitive() || c == Long.class || c == Integer.class || c == Double.class || c == Boolean.class
                || c == Short.class || c == Byte.class || c == Float.class || c == Character.class) {
            return toPrimitive(o, c);
        }
        if (c == BigInteger.class) {
            return toBigInteger(o);
        }
        if (c == byte[].class) {
            return toBytes(o);
        }
        if (PyObject.class.isAssignableFrom(c) || c == Py.class) {
            return toHandle(o, c, full);
        }
        PyConverter<?> converter = ConverterRegistry.forTarget(c);
        if (converter != null) {
            return toJavaVia(converter, o);
        }
        if (c == Optional.class) {
            return Optional.ofNullable(convert(o, GenericTypes.argument(full, 0), depth));
        }
        if (c == OptionalInt.class) {
            return OptionalInt.of((int) toPrimitive(o, int.class));
        }
        if (c == OptionalLong.class) {
            return OptionalLong.of(toLong(o));
        }
        if (c == OptionalDouble.class) {
            return OptionalDouble.of(toDouble(o));
        }
        if (c == ByteBuffer.class) {
            return ByteBuffer.wrap(toBytes(o)).asReadOnlyBuffer();
        }
        if (c == Number.class) {
            if (!isInt(o) && !isFloat(o)) {
                throw new PyTypeError("expected int or float, got " + typeName(o));
            }
            return toNatural(o, depth);
        }
        if (Map.class.isAssignableFrom(c)) {
            return toMap(o, c, full, depth);
        }
        if (Collection.class.isAssignableFrom(c) || c == Iterable.class) {
            return toCollection(o, c, GenericTypes.argument(full, 0), depth);
        }
        if (c.isArray()) {
            return toArray(o, c.getComponentType(), depth);
        }
        if (c.isRecord()) {
            return Records.toJava(o, c, full, depth);
        }
        throw new IllegalArgumentException("pyjama cannot convert a Python object to " + c.getName()
                + " (supported: String, boxed primitives, BigInteger, BigDecimal, byte[], ByteBuffer, Object, Number, "
                + "Optional, List, Set, Collection, Map, arrays, records, enums, java.time, UUID, Path, PyObject "
                + "handles, Py; register a PyConverter for others)");
    }

    /**
     * None converts only to Object (null), an Optional (empty) and handles; for any other target it
     * is a TypeError, as in PyO3, so a missing value never hides as a Java null.
     */
    private static Object fromNone(long none, Class<?> c, Type full) {
        if (c == Object.class) {
            return null;
        }
        if (c == Optional.class) {
            return Optional.empty();
        }
        if (c == OptionalInt.class) {
            return OptionalInt.empty();
        }
        if (c == OptionalLong.class) {
            return OptionalLong.empty();
        }
        if (c == OptionalDouble.class) {
            return OptionalDouble.empty();
        }
        if (PyObject.class.isAssignableFrom(c) || c == Py.class) {
            return toHandle(none, c, full);
        }
        throw new PyTypeError("expected " + pythonName(c) + ", got NoneType (a Java " + c.getSimpleName()
                + (c.isPrimitive() ? " cannot be null)" : " target refuses None: convert to Optional or Object to accept it)"));
    }

    private static String pythonName(Class<?> c) {
        if (c == String.class || c == CharSequence.class) {
            return "str";
        }
        if (c == byte[].class || c == ByteBuffer.class) {
            return "bytes";
        }
        if (Map.class.isAssignableFrom(c)) {
            return "dict";
        }
        if (Collection.class.isAssignableFrom(c) || c == Iterable.class || c.isArray()) {
            return "list";
        }
        if (!c.isPrimitive() && c != BigInteger.class && !Number.class.isAssignableFrom(c) && c != Character.class
                && c != Boolean.class) {
            return c.getSimpleName();
        }
        if (c == boolean.class || c == Boolean.class) {
            return "bool";
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class) {
            return "float";
        }
        if (c == char.class || c == Character.class) {
            return "str";
        }
        return "int";
    }

    private static Object toPrimitive(long o, Class<?> c) {
        if (c == long.class || c == Long.class) {
            return toLong(o);
        }
        if (c == int.class || c == Integer.class) {
            return (int) narrow(o, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        }
        if (c == double.class || c == Double.class) {
            return toDouble(o);
        }
        if (c == boolean.class || c == Boolean.class) {
            return toBoolean(o);
        }
        if (c == short.class || c == Short.class) {
            return (short) narrow(o, Short.MIN_VALUE, Short.MAX_VALUE, "short");
        }
        if (c == byte.class || c == Byte.class) {
            return (byte) narrow(o, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
        }
        if (c == float.class || c == Float.class) {
            double d = toDouble(o);
            float f = (float) d;
            if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                throw new PyOverflowError("Python float " + d + " is beyond the range of a Java float");
            }
            return f;
        }
        if (c == char.class || c == Character.class) {
            String s = toJavaString(o);
            if (s.length() != 1) {
                throw new PyValueError("expected a str of one UTF-16 unit for a Java char, got a str of length "
                        + s.length());
            }
            return s.charAt(0);
        }
        throw new AssertionError(c);
    }

    /** A handle (PyObject or a typed handle) or a Py for {@code o}; the caller's scope owns handles. */
    private static Object toHandle(long o, Class<?> c, Type full) {
        CApi.incRef(o);
        PyObject handle = ApiAccess.handles().bindNew(o);
        if (c == Py.class) {
            Type arg = GenericTypes.argument(full, 0);
            Class<?> target = arg instanceof WildcardType || arg instanceof TypeVariable<?>
                    ? PyObject.class : GenericTypes.rawClass(arg);
            if (target == PyObject.class) {
                try {
                    return handle.unbind();
                } finally {
                    handle.close();
                }
            }
            try {
                PyObject typed = handle.as(target.asSubclass(PyObject.class));
                try {
                    return typed.unbind();
                } finally {
                    typed.close();
                }
            } finally {
                handle.close();
            }
        }
        if (c == PyObject.class) {
            return handle;
        }
        try {
            return handle.as(c.asSubclass(PyObject.class));
        } catch (ClassCastException e) {
            throw new PyTypeError(e.getMessage());
        } finally {
            handle.close();
        }
    }

    /** Runs a converter towards Java in a nested scope: the handles it makes are released when it returns. */
    private static Object toJavaVia(PyConverter<?> converter, long o) {
        Scope inner = Scope.currentOrNull() != null ? Scope.open() : null;
        try {
            return ApiAccess.handles().toJavaVia(converter, o);
        } finally {
            if (inner != null) {
                inner.close();
            }
        }
    }

    // --- collections ---

    private static boolean isInt(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o)) & Abi.TPFLAGS_LONG_SUBCLASS) != 0;
    }

    private static boolean isFloat(long o) {
        return CApi.isSubtype(CApi.borrowedType(o), Abi.type("PyFloat_Type"));
    }

    private static boolean isListOrTuple(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o))
                & (Abi.TPFLAGS_LIST_SUBCLASS | Abi.TPFLAGS_TUPLE_SUBCLASS)) != 0;
    }

    private static boolean isDict(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o)) & Abi.TPFLAGS_DICT_SUBCLASS) != 0;
    }

    private static boolean isSetType(long o) {
        long t = CApi.borrowedType(o);
        return CApi.isSubtype(t, Abi.type("PySet_Type")) || CApi.isSubtype(t, Abi.type("PyFrozenSet_Type"));
    }

    /** Refuses the iterables that are almost surely a mistake as a collection: str, bytes, bytearray, dict. */
    private static void requireCollection(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        boolean textual = (flags & (Abi.TPFLAGS_UNICODE_SUBCLASS | Abi.TPFLAGS_BYTES_SUBCLASS
                | Abi.TPFLAGS_DICT_SUBCLASS)) != 0
                || CApi.isSubtype(CApi.borrowedType(o), Abi.type("PyByteArray_Type"));
        if (textual || !TypeChecks.isIterator(o) && !CApi.isIterable(o)) {
            throw new PyTypeError("expected list, tuple, set or another iterable, got " + typeName(o));
        }
    }

    @SuppressWarnings("unchecked")
    private static Collection<Object> newCollection(Class<?> c, int n) {
        if (c.isAssignableFrom(ArrayList.class)) {
            return new ArrayList<>(n);
        }
        if (c.isAssignableFrom(LinkedHashSet.class)) {
            return new LinkedHashSet<>(Math.max(16, (int) (n / 0.75f) + 1));
        }
        if (c.isAssignableFrom(TreeSet.class)) {
            return new TreeSet<>();
        }
        if (c.isAssignableFrom(ArrayDeque.class)) {
            return new ArrayDeque<>(n);
        }
        return (Collection<Object>) instantiate(c);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> newMap(Class<?> c, int n) {
        if (c.isAssignableFrom(LinkedHashMap.class)) {
            return new LinkedHashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
        }
        if (c.isAssignableFrom(TreeMap.class)) {
            return new TreeMap<>();
        }
        if (c.isAssignableFrom(ConcurrentHashMap.class) || c == ConcurrentMap.class) {
            return new ConcurrentHashMap<>();
        }
        return (Map<Object, Object>) instantiate(c);
    }

    private static Object instantiate(Class<?> c) {
        try {
            return c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("pyjama cannot create a " + c.getName()
                    + " (it needs a public no-argument constructor); use an interface such as List, Set or Map", e);
        }
    }

    private static Collection<Object> toCollection(long o, Class<?> c, Type elementType, int depth) {
        if (isListOrTuple(o)) {
            long n = CApi.size(o);
            Collection<Object> out = newCollection(c, (int) Math.min(n, Integer.MAX_VALUE - 8));
            for (long i = 0; i < n; i++) {
                long item = CApi.newSequenceItem(o, i);
                try {
                    out.add(convert(item, elementType, depth + 1));
                } catch (RuntimeException e) {
                    throw PathError.at("[" + i + "]", e);
                } finally {
                    CApi.decRef(item);
                }
            }
            return out;
        }
        requireCollection(o);
        boolean unordered = isSetType(o);
        Collection<Object> out = newCollection(c, 16);
        long it = CApi.newIter(o);
        try {
            long i = 0;
            long item;
            while ((item = CApi.newNextOrZero(it)) != 0) {
                try {
                    out.add(convert(item, elementType, depth + 1));
                } catch (RuntimeException e) {
                    throw PathError.at(unordered ? "{" + keyText(item) + "}" : "[" + i + "]", e);
                } finally {
                    CApi.decRef(item);
                }
                i++;
            }
        } finally {
            CApi.decRef(it);
        }
        return out;
    }

    private static Map<Object, Object> toMap(long o, Class<?> c, Type full, int depth) {
        Type keyType = GenericTypes.argument(full, 0);
        Type valueType = GenericTypes.argument(full, 1);
        if (isDict(o)) {
            Map<Object, Object> out = newMap(c, (int) Math.min(CApi.size(o), Integer.MAX_VALUE - 8));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pos = arena.allocate(JAVA_LONG);
                MemorySegment keySlot = arena.allocate(ADDRESS);
                MemorySegment valueSlot = arena.allocate(ADDRESS);
                while (Containers.dictNext(o, pos.address(), keySlot.address(), valueSlot.address())) {
                    // OWNERSHIP: PyDict_Next lends key and value; hold them, since converting may run Python code.
                    long k = CApi.newRef(keySlot.get(JAVA_LONG, 0));
                    long v = CApi.newRef(valueSlot.get(JAVA_LONG, 0));
                    try {
                        putEntry(out, k, v, keyType, valueType, depth);
                    } finally {
                        CApi.decRef(v);
                        CApi.decRef(k);
                    }
                }
            }
            return out;
        }
        if (isListOrTuple(o) || CApi.isStr(o) || !hasAttr(o, "keys")) {
            throw new PyTypeError("expected dict or another mapping, got " + typeName(o));
        }
        long items = CApi.newMappingItems(o);
        try {
            long n = CApi.size(items);
            Map<Object, Object> out = newMap(c, (int) Math.min(n, Integer.MAX_VALUE - 8));
            for (long i = 0; i < n; i++) {
                long pair = CApi.newSequenceItem(items, i);
                try {
                    long k = CApi.newSequenceItem(pair, 0);
                    try {
                        long v = CApi.newSequenceItem(pair, 1);
                        try {
                            putEntry(out, k, v, keyType, valueType, depth);
                        } finally {
                            CApi.decRef(v);
                        }
                    } finally {
                        CApi.decRef(k);
                    }
                } finally {
                    CApi.decRef(pair);
                }
            }
            return out;
        } finally {
            CApi.decRef(items);
        }
    }

    private static void putEntry(Map<Object, Object> out, long k, long v, Type keyType, Type valueType, int depth) {
        Object key;
        try {
            key = convert(k, keyType, depth + 1);
        } catch (RuntimeException e) {
            throw PathError.at("{" + keyText(k) + "}", e);
        }
        try {
            out.put(key, convert(v, valueType, depth + 1));
        } catch (RuntimeException e) {
            throw PathError.at("[" + keyText(k) + "]", e);
        }
    }

    private static boolean hasAttr(long o, String name) {
        long a = CApi.newGetAttrOrZero(o, Names.get(name));
        if (a == 0) {
            return false;
        }
        CApi.decRef(a);
        return true;
    }

    private static Object toArray(long o, Type componentType, int depth) {
        Class<?> component = GenericTypes.rawClass(componentType);
        if (component == byte.class) {
            return toBytes(o);
        }
        if (component == char.class && CApi.isStr(o)) {
            return toJavaString(o).toCharArray();
        }
        if (isListOrTuple(o)) {
            long n = CApi.size(o);
            Object array = Array.newInstance(component, Math.toIntExact(n));
            for (int i = 0; i < n; i++) {
                long item = CApi.newSequenceItem(o, i);
                try {
                    setArrayItem(array, i, item, componentType, component, depth);
                } catch (RuntimeException e) {
                    throw PathError.at("[" + i + "]", e);
                } finally {
                    CApi.decRef(item);
                }
            }
            return array;
        }
        Collection<Object> items = toCollection(o, List.class, componentType, depth);
        Object array = Array.newInstance(component, items.size());
        int i = 0;
        for (Object item : items) {
            Array.set(array, i++, item);
        }
        return array;
    }

    private static void setArrayItem(Object array, int i, long item, Type componentType, Class<?> component, int depth) {
        switch (array) {
            case long[] a -> a[i] = toLong(item);
            case int[] a -> a[i] = (int) narrow(item, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
            case double[] a -> a[i] = toDouble(item);
            case Object[] a -> a[i] = convert(item, componentType, depth + 1);
            default -> Array.set(array, i, convertClass(item, component, component, depth + 1));
        }
    }

    // --- the natural conversion ---

    /**
     * The closest Java value: None to null, bool to Boolean, int to Long or BigInteger, float to
     * Double, str to String, bytes to byte[], list and tuple to List, dict to Map, set and frozenset to
     * Set, Decimal to BigDecimal, datetime types to java.time, UUID, pathlib paths to Path; anything
     * else to a PyObject handle. Inside dict keys and set elements a tuple becomes an unmodifiable
     * List (a Java key must not change).
     */
    private static Object toNatural(long o, int depth) {
        if (depth > MAX_DEPTH) {
            throw new PyRecursionError(NESTING + " (does a container contain itself?)");
        }
        if (CApi.isNone(o)) {
            return null;
        }
        long type = CApi.borrowedType(o);
        long flags = CApi.typeFlags(type);
        if (type == Abi.type("PyBool_Type")) {
            return o == Abi.trueObj();
        }
        if ((flags & Abi.TPFLAGS_LONG_SUBCLASS) != 0) {
            return fitsLong(o) ? (Object) toLong(o) : toBigInteger(o);
        }
        if (type == Abi.type("PyFloat_Type")) {
            return toDouble(o);
        }
        if ((flags & Abi.TPFLAGS_UNICODE_SUBCLASS) != 0) {
            return Strings.toJava(o);
        }
        if ((flags & Abi.TPFLAGS_BYTES_SUBCLASS) != 0) {
            return toBytes(o);
        }
        if ((flags & (Abi.TPFLAGS_LIST_SUBCLASS | Abi.TPFLAGS_TUPLE_SUBCLASS)) != 0) {
            long n = CApi.size(o);
            List<Object> list = new ArrayList<>((int) Math.min(n, Integer.MAX_VALUE - 8));
            for (long i = 0; i < n; i++) {
                long item = CApi.newSequenceItem(o, i);
                try {
                    list.add(toNatural(item, depth + 1));
                } catch (RuntimeException e) {
                    throw PathError.at("[" + i + "]", e);
                } finally {
                    CApi.decRef(item);
                }
            }
            return list;
        }
        if ((flags & Abi.TPFLAGS_DICT_SUBCLASS) != 0) {
            Map<Object, Object> map = new LinkedHashMap<>();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pos = arena.allocate(JAVA_LONG);
                MemorySegment keySlot = arena.allocate(ADDRESS);
                MemorySegment valueSlot = arena.allocate(ADDRESS);
                while (Containers.dictNext(o, pos.address(), keySlot.address(), valueSlot.address())) {
                    // OWNERSHIP: PyDict_Next lends key and value; hold them, since converting may run Python code.
                    long k = CApi.newRef(keySlot.get(JAVA_LONG, 0));
                    long v = CApi.newRef(valueSlot.get(JAVA_LONG, 0));
                    try {
                        Object key;
                        try {
                            key = naturalKey(k, depth + 1);
                        } catch (RuntimeException e) {
                            throw PathError.at("{" + keyText(k) + "}", e);
                        }
                        try {
                            map.put(key, toNatural(v, depth + 1));
                        } catch (RuntimeException e) {
                            throw PathError.at("[" + keyText(k) + "]", e);
                        }
                    } finally {
                        CApi.decRef(v);
                        CApi.decRef(k);
                    }
                }
            }
            return map;
        }
        if (type == Abi.type("PySet_Type") || type == Abi.type("PyFrozenSet_Type")) {
            Set<Object> set = new LinkedHashSet<>();
            long it = CApi.newIter(o);
            try {
                long item;
                while ((item = CApi.newNextOrZero(it)) != 0) {
                    try {
                        set.add(naturalKey(item, depth + 1));
                    } catch (RuntimeException e) {
                        throw PathError.at("{" + keyText(item) + "}", e);
                    } finally {
                        CApi.decRef(item);
                    }
                }
            } finally {
                CApi.decRef(it);
            }
            return set;
        }
        if (CApi.isSubtype(type, Abi.type("PyFloat_Type"))) {
            return toDouble(o); // float subclasses, such as numpy.float64
        }
        PyConverter<?> known = KnownTypes.converterFor(type);
        if (known != null) {
            return toJavaVia(known, o);
        }
        CApi.incRef(o);
        return ApiAccess.handles().bindNew(o);
    }

    /** The natural value of a dict key or set element: lists from tuples are unmodifiable. */
    private static Object naturalKey(long o, int depth) {
        Object v = toNatural(o, depth);
        return v instanceof List<?> list ? Collections.unmodifiableList(list) : v;
    }

    /**
     * The Python types of the natural conversion that are not built in: found in {@code sys.modules}
     * once their module has been imported (an object of the type cannot exist before that), then kept.
     */
    private static final class KnownTypes {
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

    // --- scalars ---

    static String toJavaString(long o) {
        if (!CApi.isStr(o)) {
            throw PythonErrors.newTypeError("expected str, got " + typeName(o));
        }
        return Strings.toJava(o);
    }

    private static boolean fitsLong(long o) {
        try (Arena arena = Arena.ofConfined()) {
            return Scalars.fitsLong(o, arena.allocate(JAVA_INT));
        }
    }

    /** An int, or any object with {@code __index__} (numpy integers), as a long; OverflowError when it does not fit. */
    static long toLong(long o) {
        long type = CApi.borrowedType(o);
        // An exact int is told by its type's address; only other types need their flags read.
        if (type != Abi.longType() && (CApi.typeFlags(type) & Abi.TPFLAGS_LONG_SUBCLASS) == 0) {
            if (!Scalars.isIndex(o)) {
                throw PythonErrors.newTypeError("expected int, got " + typeName(o));
            }
            long index = Scalars.newIndex(o);
            try {
                return toLong(index);
            } finally {
                CApi.decRef(index);
            }
        }
        return Scalars.exactIntValue(o);
    }

    private static long narrow(long o, long min, long max, String javaType) {
        long v = toLong(o);
        if (v < min || v > max) {
            throw new PyOverflowError("Python int " + v + " does not fit in a Java " + javaType);
        }
        return v;
    }

    /** A float, or anything with {@code __float__} or {@code __index__} (int), as a double; str is refused. */
    static double toDouble(long o) {
        if (CApi.borrowedType(o) == Abi.floatType()) {
            // An exact float: no __float__ runs, and it cannot fail.
            return Scalars.exactFloatValue(o);
        }
        if (CApi.isStr(o)) {
            throw PythonErrors.newTypeError("expected float, got " + typeName(o));
        }
        return Scalars.doubleValue(o);
    }

    static boolean toBoolean(long o) {
        if (o == Abi.trueObj()) {
            return true;
        }
        if (o == Abi.falseObj()) {
            return false;
        }
        throw PythonErrors.newTypeError("expected bool, got " + typeName(o)
                + " (use isTruthy() for Python's truth value of any object)");
    }

    static BigInteger toBigInteger(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Abi.TPFLAGS_LONG_SUBCLASS) == 0) {
            if (!Scalars.isIndex(o)) {
                throw PythonErrors.newTypeError("expected int, got " + typeName(o));
            }
            long index = Scalars.newIndex(o);
            try {
                return toBigInteger(index);
            } finally {
                CApi.decRef(index);
            }
        }
        if (fitsLong(o)) {
            return BigInteger.valueOf(toLong(o));
        }
        // format(o, 'x') is not subject to the int/str digit limit of Python 3.11+.
        long spec = Names.get("x");
        long text = CApi.newFormat(o, spec);
        try {
            return new BigInteger(Strings.toJava(text), 16);
        } finally {
            CApi.decRef(text);
        }
    }

    static byte[] toBytes(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Abi.TPFLAGS_BYTES_SUBCLASS) != 0) {
            return Containers.bytesContent(o);
        }
        if (CApi.isSubtype(CApi.borrowedType(o), Abi.type("PyByteArray_Type"))) {
            return Containers.byteArrayContent(o);
        }
        throw PythonErrors.newTypeError("expected bytes or bytearray, got " + typeName(o));
    }

    // --- messages and paths ---

    /** The type name of {@code o}, for messages. */
    static String typeName(long o) {
        long name = CApi.newGetAttrOrZero(CApi.borrowedType(o), Names.get("__name__"));
        if (name == 0) {
            return "?";
        }
        try {
            return Strings.toJava(name);
        } finally {
            CApi.decRef(name);
        }
    }

    /** A dict key as a path shows it: {@code "x"} for a str, else its repr (shortened). */
    private static String keyText(long key) {
        if (CApi.isStr(key)) {
            String s = Strings.toJava(key);
            if (s.length() > 60) {
                s = s.substring(0, 57) + "...";
            }
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return shortRepr(key);
    }

    private static String shortRepr(long o) {
        try {
            long r = CApi.newRepr(o);
            try {
                String s = Strings.toJava(r);
                return s.length() > 60 ? s.substring(0, 57) + "..." : s;
            } finally {
                CApi.decRef(r);
            }
        } catch (RuntimeException e) {
            return "<" + typeName(o) + ">";
        }
    }

    /**
     * A conversion error on its way out of nested containers, collecting the path to the bad
     * element ({@code [3]["x"]}); {@link #rebuild()} turns it back into the original kind of exception,
     * with the path in front of its message and the original as its cause.
     */
    static final class PathError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final ArrayDeque<String> segments = new ArrayDeque<>();
        private final transient RuntimeException original;

        private PathError(RuntimeException original) {
            super(null, null, false, false);
            this.original = original;
        }

        /** {@code e} with {@code segment} put in front of its path; exceptions that carry no path pass unchanged. */
        static RuntimeException at(String segment, RuntimeException e) {
            PathError p;
            if (e instanceof PathError existing) {
                p = existing;
            } else if (e instanceof PyBaseException || e instanceof IllegalArgumentException) {
                p = new PathError(e);
            } else {
                return e;
            }
            p.segments.addFirst(segment);
            return p;
        }

        RuntimeException rebuild() {
            String path;
            if (segments.size() <= 24) {
                path = String.join("", segments);
            } else {
                List<String> all = new ArrayList<>(segments);
                path = String.join("", all.subList(0, 12)) + "...(" + (all.size() - 24) + " more)..."
                        + String.join("", all.subList(all.size() - 12, all.size()));
            }
            String message = path + ": " + (original instanceof PyBaseException b ? b.pythonMessage()
                    : original.getMessage());
            RuntimeException rebuilt;
            if (original instanceof PyBaseException) {
                try {
                    rebuilt = original.getClass().getConstructor(String.class).newInstance(message);
                } catch (ReflectiveOperationException e) {
                    return original;
                }
            } else {
                rebuilt = new IllegalArgumentException(message);
            }
            rebuilt.initCause(original);
            return rebuilt;
        }
    }

    // =====================================================================================
    // Records
    // =====================================================================================

    /**
     * Records to Python and back. Towards Python a record becomes an instance of a
     * {@code collections.namedtuple} class made once per record class (named after the record, its
     * {@code __module__} the Java package), with the component values converted; when the component
     * names are not valid namedtuple fields (a Python keyword such as {@code from}, a leading
     * underscore), a {@code types.SimpleNamespace} instead. Towards Java a record is built from a
     * dict with a key per component, or from any other object with an attribute per component (a
     * namedtuple, a dataclass, a SimpleNamespace); each value is converted to the component's generic
     * type, with the record's type arguments applied. Extra keys and attributes are ignored; a
     * missing one is a TypeError, except for an Optional component, which becomes empty.
     */
    static final class Records {

        private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
        private static final ConcurrentHashMap<Class<?>, long[]> PYTHON_CLASSES = new ConcurrentHashMap<>();
        private static final ClassValue<Info> INFO = new ClassValue<>() {
            @Override
            protected Info computeValue(Class<?> type) {
                return new Info(type);
            }
        };

        private Records() {}

        /** What reflection tells about a record class, made accessible once. */
        static final class Info {
            final Class<?> type;
            final String[] names;
            final Type[] types;
            final Method[] accessors;
            final Constructor<?> constructor;

            Info(Class<?> type) {
                this.type = type;
                RecordComponent[] components = type.getRecordComponents();
                names = new String[components.length];
                types = new Type[components.length];
                accessors = new Method[components.length];
                Class<?>[] raw = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    names[i] = components[i].getName();
                    types[i] = components[i].getGenericType();
                    accessors[i] = components[i].getAccessor();
                    accessors[i].trySetAccessible();
                    raw[i] = components[i].getType();
                }
                Constructor<?> canonical;
                try {
                    canonical = type.getDeclaredConstructor(raw);
                    canonical.trySetAccessible();
                } catch (NoSuchMethodException e) {
                    throw new AssertionError("a record without its canonical constructor: " + type, e);
                }
                constructor = canonical;
            }

            Object[] values(Object record) {
                Object[] values = new Object[accessors.length];
                for (int i = 0; i < accessors.length; i++) {
                    try {
                        values[i] = accessors[i].invoke(record);
                    } catch (IllegalAccessException e) {
                        throw inaccessible(e);
                    } catch (InvocationTargetException e) {
                        throw rethrow(e);
                    }
                }
                return values;
            }

            Object create(Object[] args) {
                try {
                    return constructor.newInstance(args);
                } catch (IllegalAccessException e) {
                    throw inaccessible(e);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    PyValueError v = new PyValueError("the constructor of record " + type.getName()
                            + " rejected the values: " + cause);
                    v.initCause(cause);
                    throw v;
                } catch (InstantiationException e) {
                    throw new IllegalArgumentException(e);
                }
            }

            private IllegalArgumentException inaccessible(IllegalAccessException e) {
                return new IllegalArgumentException("pyjama cannot access record " + type.getName() + ": make it public"
                        + " in an exported package, or open its package to module dev.pyjama", e);
            }
        }

        private static RuntimeException rethrow(InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                return r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            return new IllegalStateException(e.getCause());
        }

        static long newToPython(Record record, int depth, boolean hashable) {
            Info info = INFO.get(record.getClass());
            long[] cls = pythonClass(info);
            Object[] values = info.values(record);
            int n = values.length;
            if (cls[1] == 1) {
                long args = CApi.newTuple(n);
                try {
                    for (int i = 0; i < n; i++) {
                        CApi.tupleSetStolen(args, i, Conversions.newToPython(values[i], depth + 1, hashable));
                    }
                    return CApi.newCall(cls[0], args, 0);
                } finally {
                    CApi.decRef(args);
                }
            }
            long kwargs = CApi.newDict();
            long noArgs = CApi.newTuple(0);
            try {
                for (int i = 0; i < n; i++) {
                    long v = Conversions.newToPython(values[i], depth + 1, hashable);
                    try {
                        CApi.dictSetItem(kwargs, Names.get(info.names[i]), v);
                    } finally {
                        CApi.decRef(v);
                    }
                }
                return CApi.newCall(cls[0], noArgs, kwargs);
            } finally {
                CApi.decRef(noArgs);
                CApi.decRef(kwargs);
            }
        }

        /** {class address (kept), 1 when a namedtuple / 0 when SimpleNamespace}. */
        private static long[] pythonClass(Info info) {
            long[] cached = PYTHON_CLASSES.get(info.type);
            if (cached != null) {
                return cached;
            }
            long[] made = makeClass(info);
            PYTHON_CLASSES.put(info.type, made);
            return made;
        }

        private static long[] makeClass(Info info) {
            String simple = info.type.getSimpleName();
            String name = IDENTIFIER.matcher(simple).matches() ? simple : "Record";
            String module = info.type.getPackageName().isEmpty() ? "java" : info.type.getPackageName();
            long collections = CApi.newImportModule("collections");
            try {
                long namedtuple = CApi.newGetAttr(collections, Names.get("namedtuple"));
                try {
                    long cls = Calls.call(namedtuple, new Object[] {name, List.of(info.names)},
                            Map.of("module", module));
                    return new long[] {cls, 1};
                } catch (PyValueError e) {
                    // Names namedtuple refuses (keywords, leading underscores): fall back to SimpleNamespace.
                    long types = CApi.newImportModule("types");
                    try {
                        return new long[] {CApi.newGetAttr(types, Names.get("SimpleNamespace")), 0};
                    } finally {
                        CApi.decRef(types);
                    }
                } finally {
                    CApi.decRef(namedtuple);
                }
            } finally {
                CApi.decRef(collections);
            }
        }

        static Object toJava(long o, Class<?> c, Type full, int depth) {
            Info info = INFO.get(c);
            Map<TypeVariable<?>, Type> bindings = new HashMap<>();
            if (full instanceof ParameterizedType p) {
                TypeVariable<?>[] params = c.getTypeParameters();
                Type[] args = p.getActualTypeArguments();
                for (int i = 0; i < params.length && i < args.length; i++) {
                    bindings.put(params[i], args[i]);
                }
            }
            boolean byKey = isDict(o);
            int n = info.names.length;
            Object[] args = new Object[n];
            for (int i = 0; i < n; i++) {
                String name = info.names[i];
                Type componentType = GenericTypes.substitute(info.types[i], bindings);
                long v = byKey ? Containers.newDictItemOrZero(o, Names.get(name))
                        : CApi.newGetAttrOrZero(o, Names.get(name));
                if (v == 0) {
                    if (GenericTypes.rawClass(componentType) == Optional.class) {
                        args[i] = Optional.empty();
                        continue;
                    }
                    throw new PyTypeError("expected " + (byKey ? "a key \"" + name + "\"" : "an attribute " + name)
                            + " for component " + name + " of record " + c.getSimpleName() + ", got "
                            + (byKey ? "a dict without it" : typeName(o) + " without it"));
                }
                try {
                    args[i] = Conversions.convert(v, componentType, depth + 1);
                } catch (RuntimeException e) {
                    throw PathError.at(byKey ? "[\"" + name + "\"]" : "." + name, e);
                } finally {
                    CApi.decRef(v);
                }
            }
            return info.create(args);
        }
    }
}
