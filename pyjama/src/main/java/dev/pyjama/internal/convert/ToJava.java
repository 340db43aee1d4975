package dev.pyjama.internal.convert;

import dev.pyjama.Py;
import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyRecursionError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.bridge.InterfaceProxies;
import dev.pyjama.internal.bridge.JavaObjects;
import dev.pyjama.internal.convert.ConverterRegistry;
import dev.pyjama.internal.runtime.Scope;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.Buffers;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.TypeChecks;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
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

/** Python objects to Java values of a requested type, containers included: the Python -> Java half of {@link Conversions}. The caller holds the GIL. */
final class ToJava {

    private ToJava() {}

    /** The Java value of {@code o} (borrowed) as {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> T toJava(long o, Class<T> type) {
        if (type == long.class && !CApi.isNone(o)) {
            return (T) (Object) ScalarValues.toLong(o); // the commonest targets, without the general dispatch
        }
        if (type == double.class && CApi.borrowedType(o) == Abi.floatType()) {
            return (T) (Object) ScalarValues.toDouble(o);
        }
        Object result;
        try {
            result = convertClass(o, type, type, 0);
        } catch (ConversionErrors.PathError e) {
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
        } catch (ConversionErrors.PathError e) {
            throw e.rebuild();
        }
    }

    static Object convert(long o, Type type, int depth) {
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

    static Object convertClass(long o, Class<?> c, Type full, int depth) {
        if (depth > Conversions.MAX_DEPTH) {
            throw new PyRecursionError(Conversions.NESTING + " (does a container contain itself?)");
        }
        if (CApi.isNone(o)) {
            return fromNone(o, c, full);
        }
        Object held = JavaObjects.heldBy(o);
        if (held != JavaObjects.NOT_JAVA && !PyObject.class.isAssignableFrom(c) && c != Py.class) {
            return fromJavaObject(held, c);
        }
        if (c == String.class || c == CharSequence.class) {
            return ScalarValues.toJavaString(o);
        }
        if (c == Object.class) {
            return NaturalValues.toNatural(o, depth);
        }
        if (c.isPrimitive() || c == Long.class || c == Integer.class || c == Double.class || c == Boolean.class
                || c == Short.class || c == Byte.class || c == Float.class || c == Character.class) {
            return toPrimitive(o, c);
        }
        if (c == BigInteger.class) {
            return ScalarValues.toBigInteger(o);
        }
        if (c == byte[].class) {
            return ScalarValues.toBytes(o);
        }
        if (PyObject.class.isAssignableFrom(c) || c == Py.class) {
            return toHandle(o, c, full);
        }
        PyConverter<?> converter = ConverterRegistry.forTarget(c);
        if (converter != null) {
            return toJavaVia(converter, o);
        }
        if (c == Optional.class) {
            try {
                return Optional.ofNullable(convert(o, GenericTypes.argument(full, 0), depth));
            } catch (PyTypeError e) {
                if (DataScalars.isMissing(o)) {
                    return Optional.empty(); // pandas.NA, NaT: missing, as None is
                }
                throw e;
            }
        }
        if (c == OptionalInt.class) {
            return OptionalInt.of((int) toPrimitive(o, int.class));
        }
        if (c == OptionalLong.class) {
            return OptionalLong.of(ScalarValues.toLong(o));
        }
        if (c == OptionalDouble.class) {
            return OptionalDouble.of(ScalarValues.toDouble(o));
        }
        if (c == ByteBuffer.class) {
            return ByteBuffer.wrap(ScalarValues.toBytes(o)).asReadOnlyBuffer();
        }
        if (c == Number.class) {
            if (!isInt(o) && !isFloat(o)) {
                throw new PyTypeError("expected int or float, got " + ConversionErrors.typeName(o));
            }
            return NaturalValues.toNatural(o, depth);
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
        if (InterfaceProxies.canImplement(c)) {
            // Any other interface (Runnable, Function<Long, String>, the application's own) is
            // implemented by the object itself, not copied: a proxy calling its attributes.
            return InterfaceProxies.newProxy(o, c, full);
        }
        throw new IllegalArgumentException("pyjama cannot convert a Python object to " + c.getName()
                + " (supported: String, boxed primitives, BigInteger, BigDecimal, byte[], ByteBuffer, Object, Number, "
                + "Optional, List, Set, Collection, Map, arrays, records, interfaces, enums, java.time, UUID, Path, PyObject "
                + "handles, Py; register a PyConverter for others)");
    }

    /** A Java object that Python held (a pyjama.JavaObject) is itself again, if it is of the target class. */
    static Object fromJavaObject(Object held, Class<?> c) {
        Class<?> boxed = c.isPrimitive() ? java.lang.invoke.MethodType.methodType(c).wrap().returnType() : c;
        if (boxed.isInstance(held)) {
            return held;
        }
        throw new PyTypeError("expected " + pythonName(c) + ", got a Java " + held.getClass().getName());
    }

    /**
     * None converts only to Object (null), an Optional (empty) and handles; for any other target it
     * is a TypeError, as in PyO3, so a missing value never hides as a Java null.
     */
    static Object fromNone(long none, Class<?> c, Type full) {
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

    static String pythonName(Class<?> c) {
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

    static Object toPrimitive(long o, Class<?> c) {
        if (c == long.class || c == Long.class) {
            return ScalarValues.toLong(o);
        }
        if (c == int.class || c == Integer.class) {
            return (int) ScalarValues.narrow(o, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        }
        if (c == double.class || c == Double.class) {
            return ScalarValues.toDouble(o);
        }
        if (c == boolean.class || c == Boolean.class) {
            return ScalarValues.toBoolean(o);
        }
        if (c == short.class || c == Short.class) {
            return (short) ScalarValues.narrow(o, Short.MIN_VALUE, Short.MAX_VALUE, "short");
        }
        if (c == byte.class || c == Byte.class) {
            return (byte) ScalarValues.narrow(o, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
        }
        if (c == float.class || c == Float.class) {
            double d = ScalarValues.toDouble(o);
            float f = (float) d;
            if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                throw new PyOverflowError("Python float " + d + " is beyond the range of a Java float");
            }
            return f;
        }
        if (c == char.class || c == Character.class) {
            String s = ScalarValues.toJavaString(o);
            if (s.length() != 1) {
                throw new PyValueError("expected a str of one UTF-16 unit for a Java char, got a str of length "
                        + s.length());
            }
            return s.charAt(0);
        }
        throw new AssertionError(c);
    }

    /** A handle (PyObject or a typed handle) or a Py for {@code o}; the caller's scope owns handles. */
    static Object toHandle(long o, Class<?> c, Type full) {
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
    static Object toJavaVia(PyConverter<?> converter, long o) {
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

    static boolean isInt(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o)) & Abi.TPFLAGS_LONG_SUBCLASS) != 0;
    }

    static boolean isFloat(long o) {
        return CApi.isSubtype(CApi.borrowedType(o), Abi.floatType());
    }

    static boolean isListOrTuple(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o))
                & (Abi.TPFLAGS_LIST_SUBCLASS | Abi.TPFLAGS_TUPLE_SUBCLASS)) != 0;
    }

    /**
     * Whether {@code o} is exactly a list or a tuple: its size is what it holds, and reading its
     * items runs no Python code. Subclasses are iterated instead, as {@code list(o)} does, so an
     * overridden {@code __iter__} is honoured and an overridden {@code __len__} sizes nothing.
     */
    static boolean isExactListOrTuple(long o) {
        long t = CApi.borrowedType(o);
        return t == Abi.listType() || t == Abi.tupleType();
    }

    /**
     * The number of items a list, tuple or dict (or a subclass of one) holds in its own storage
     * ({@code PyList_Size}, {@code PyTuple_Size}, {@code PyDict_Size}: never {@code __len__}).
     */
    static long storedSize(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Abi.TPFLAGS_LIST_SUBCLASS) != 0) {
            return Containers.listSize(o);
        }
        if ((flags & Abi.TPFLAGS_TUPLE_SUBCLASS) != 0) {
            return CApi.tupleSize(o);
        }
        return Containers.dictSize(o);
    }

    /**
     * Room to make before converting the items of an iterable: what a list, tuple or dict (subclasses
     * included) holds in its own storage, else a small default. Only a hint, read from the object's
     * storage and never from {@code __len__} (which any class can make lie): the Java collection
     * grows as items arrive.
     */
    static int sizeHint(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & (Abi.TPFLAGS_LIST_SUBCLASS | Abi.TPFLAGS_TUPLE_SUBCLASS | Abi.TPFLAGS_DICT_SUBCLASS)) != 0) {
            return (int) Math.min(storedSize(o), Integer.MAX_VALUE - 8);
        }
        return 16;
    }

    static boolean isDict(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o)) & Abi.TPFLAGS_DICT_SUBCLASS) != 0;
    }

    static boolean isSetType(long o) {
        long t = CApi.borrowedType(o);
        return CApi.isSubtype(t, Abi.setType()) || CApi.isSubtype(t, Abi.frozenSetType());
    }

    /** Refuses the iterables that are almost surely a mistake as a collection: str, bytes, bytearray, dict. */
    static void requireCollection(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        boolean textual = (flags & (Abi.TPFLAGS_UNICODE_SUBCLASS | Abi.TPFLAGS_BYTES_SUBCLASS
                | Abi.TPFLAGS_DICT_SUBCLASS)) != 0
                || CApi.isSubtype(CApi.borrowedType(o), Abi.byteArrayType());
        if (textual || !TypeChecks.isIterator(o) && !CApi.isIterable(o)) {
            throw new PyTypeError("expected list, tuple, set or another iterable, got " + ConversionErrors.typeName(o));
        }
    }

    @SuppressWarnings("unchecked")
    static Collection<Object> newCollection(Class<?> c, int n) {
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
    static Map<Object, Object> newMap(Class<?> c, int n) {
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

    static Object instantiate(Class<?> c) {
        try {
            return c.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("pyjama cannot create a " + c.getName()
                    + " (it needs a public no-argument constructor); use an interface such as List, Set or Map", e);
        }
    }

    static Collection<Object> toCollection(long o, Class<?> c, Type elementType, int depth) {
        if (isExactListOrTuple(o)) {
            // The list's own size, not its __len__ (a subclass is iterated below).
            Collection<Object> out = newCollection(c, (int) Math.min(storedSize(o), Integer.MAX_VALUE - 8));
            // One state of a list, even while other threads change it; converted outside its critical section.
            Containers.forEachItem(o, (i, item) -> {
                try {
                    out.add(convert(item, elementType, depth + 1));
                } catch (RuntimeException e) {
                    throw ConversionErrors.PathError.at("[" + i + "]", e);
                }
            });
            return out;
        }
        requireCollection(o);
        boolean unordered = isSetType(o);
        Collection<Object> out = newCollection(c, sizeHint(o));
        long it = unordered ? Containers.newSetReadingIter(o) : CApi.newIter(o);
        try {
            long i = 0;
            long item;
            while ((item = CApi.newNextOrZero(it)) != 0) {
                try {
                    out.add(convert(item, elementType, depth + 1));
                } catch (RuntimeException e) {
                    throw ConversionErrors.PathError.at(unordered ? "{" + ConversionErrors.keyText(item) + "}" : "[" + i + "]", e);
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

    static Map<Object, Object> toMap(long o, Class<?> c, Type full, int depth) {
        Type keyType = GenericTypes.argument(full, 0);
        Type valueType = GenericTypes.argument(full, 1);
        if (isDict(o)) {
            Map<Object, Object> out = newMap(c, sizeHint(o)); // the dict's own size, not its __len__
            // Keys with their own values, one state of the dict; converted outside its critical section
            // (converting may run Python code).
            Containers.forEachDictItem(o, (k, v) -> putEntry(out, k, v, keyType, valueType, depth));
            return out;
        }
        if (isListOrTuple(o) || CApi.isStr(o) || !hasAttr(o, "keys")) {
            throw new PyTypeError("expected dict or another mapping, got " + ConversionErrors.typeName(o));
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

    static void putEntry(Map<Object, Object> out, long k, long v, Type keyType, Type valueType, int depth) {
        Object key;
        try {
            key = convert(k, keyType, depth + 1);
        } catch (RuntimeException e) {
            throw ConversionErrors.PathError.at("{" + ConversionErrors.keyText(k) + "}", e);
        }
        try {
            out.put(key, convert(v, valueType, depth + 1));
        } catch (RuntimeException e) {
            throw ConversionErrors.PathError.at("[" + ConversionErrors.keyText(k) + "]", e);
        }
    }

    static boolean hasAttr(long o, String name) {
        long a = CApi.newGetAttrOrZero(o, Names.get(name));
        if (a == 0) {
            return false;
        }
        CApi.decRef(a);
        return true;
    }

    static Object toArray(long o, Type componentType, int depth) {
        Class<?> component = GenericTypes.rawClass(componentType);
        if (component == byte.class) {
            return ScalarValues.toBytes(o);
        }
        if (component == char.class && CApi.isStr(o)) {
            return ScalarValues.toJavaString(o).toCharArray();
        }
        if (isExactListOrTuple(o)) {
            long[] items = Containers.newSequenceItems(o); // a list's in one step, as many as it holds
            Object array = Array.newInstance(component, items.length);
            int i = 0;
            try {
                while (i < items.length) {
                    long item = items[i];
                    try {
                        setArrayItem(array, i, item, componentType, component, depth);
                    } catch (RuntimeException e) {
                        throw ConversionErrors.PathError.at("[" + i + "]", e);
                    } finally {
                        CApi.decRef(item);
                        i++;
                    }
                }
            } finally {
                Containers.releaseAll(items, i);
            }
            return array;
        }
        if (component.isPrimitive() && !isListOrTuple(o)) {
            // numpy arrays, array.array, memoryview: one bulk copy when the items are exactly the
            // Java type (a one-dimensional buffer of its format); anything else item by item.
            Object copied = Buffers.copyToArrayOrNull(o, component);
            if (copied != null) {
                return copied;
            }
        }
        Collection<Object> items = toCollection(o, List.class, componentType, depth);
        Object array = Array.newInstance(component, items.size());
        int i = 0;
        for (Object item : items) {
            Array.set(array, i++, item);
        }
        return array;
    }

    static void setArrayItem(Object array, int i, long item, Type componentType, Class<?> component, int depth) {
        switch (array) {
            case long[] a -> a[i] = ScalarValues.toLong(item);
            case int[] a -> a[i] = (int) ScalarValues.narrow(item, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
            case double[] a -> a[i] = ScalarValues.toDouble(item);
            case Object[] a -> a[i] = convert(item, componentType, depth + 1);
            default -> Array.set(array, i, convertClass(item, component, component, depth + 1));
        }
    }
}
