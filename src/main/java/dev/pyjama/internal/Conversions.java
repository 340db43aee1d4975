package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Java values to Python objects and back. The caller holds the GIL.
 *
 * <p>Java to Python: {@code null} to None; Boolean to bool; Byte, Short, Integer, Long and
 * BigInteger to int; Float and Double to float; String, other CharSequences and Character to str;
 * byte[] to bytes; a {@code PyObject} or {@code Py} to the object itself.
 *
 * <p>Python to Java is strict about kinds (a str is not a number, an int is not a bool) and exact
 * about values: an int that does not fit the Java type is an {@code OverflowError}, never a wrap.
 */
public final class Conversions {

    private Conversions() {}

    /** A new reference to the Python form of {@code value}. */
    public static long newToPython(Object value) {
        if (value == null) {
            return newRef(Interpreter.none());
        }
        long handle = ApiAccess.handles().borrowedAddress(value);
        if (handle != 0) {
            return newRef(handle);
        }
        if (value instanceof String s) {
            return Strings.newStr(s);
        }
        if (value instanceof Long l) {
            return CApi.checkNew(LibPython.PyLong_FromLongLong(l));
        }
        if (value instanceof Integer i) {
            return CApi.checkNew(LibPython.PyLong_FromLongLong(i));
        }
        if (value instanceof Boolean b) {
            return newRef(b ? Interpreter.trueObj() : Interpreter.falseObj());
        }
        if (value instanceof Double d) {
            return CApi.checkNew(LibPython.PyFloat_FromDouble(d));
        }
        if (value instanceof Float f) {
            return CApi.checkNew(LibPython.PyFloat_FromDouble(f));
        }
        if (value instanceof Short s) {
            return CApi.checkNew(LibPython.PyLong_FromLongLong(s));
        }
        if (value instanceof Byte b) {
            return CApi.checkNew(LibPython.PyLong_FromLongLong(b));
        }
        if (value instanceof BigInteger big) {
            return newInt(big);
        }
        if (value instanceof Character c) {
            return Strings.newStr(String.valueOf(c));
        }
        if (value instanceof CharSequence cs) {
            return Strings.newStr(cs.toString());
        }
        if (value instanceof byte[] bytes) {
            return newBytes(bytes);
        }
        throw new IllegalArgumentException("pyjama cannot convert a " + value.getClass().getName()
                + " to a Python object (supported: null, Boolean, Byte, Short, Integer, Long, BigInteger, Float,"
                + " Double, Character, String/CharSequence, byte[], PyObject, Py)");
    }

    private static long newRef(long borrowed) {
        CApi.incRef(borrowed);
        return borrowed;
    }

    private static long newInt(BigInteger big) {
        if (big.bitLength() < 64) {
            return CApi.checkNew(LibPython.PyLong_FromLongLong(big.longValue()));
        }
        // Hexadecimal text is not subject to the int/str digit limit of Python 3.11+.
        try (Arena arena = Arena.ofConfined()) {
            return CApi.checkNew(LibPython.PyLong_FromString(arena.allocateFrom(big.toString(16)), MemorySegment.NULL, 16));
        }
    }

    private static long newBytes(byte[] bytes) {
        MemorySegment buffer = Scratch.bytes(bytes.length);
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
        return CApi.checkNew(LibPython.PyBytes_FromStringAndSize(buffer, bytes.length));
    }

    /** The Java value of {@code o} (borrowed) as {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> T toJava(long o, Class<T> type) {
        Object result;
        if (type == String.class || type == CharSequence.class) {
            result = toJavaString(o);
        } else if (type == long.class || type == Long.class) {
            result = toLong(o);
        } else if (type == int.class || type == Integer.class) {
            result = (int) narrow(toLong(o), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
        } else if (type == short.class || type == Short.class) {
            result = (short) narrow(toLong(o), Short.MIN_VALUE, Short.MAX_VALUE, "short");
        } else if (type == byte.class || type == Byte.class) {
            result = (byte) narrow(toLong(o), Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
        } else if (type == double.class || type == Double.class) {
            result = toDouble(o);
        } else if (type == float.class || type == Float.class) {
            result = (float) toDouble(o);
        } else if (type == boolean.class || type == Boolean.class) {
            result = toBoolean(o);
        } else if (type == BigInteger.class) {
            result = toBigInteger(o);
        } else if (type == byte[].class) {
            result = toBytes(o);
        } else if (type == char.class || type == Character.class) {
            String s = toJavaString(o);
            if (s.length() != 1) {
                throw PythonErrors.newValueError("expected a str of one UTF-16 unit for a Java char, got a str of length "
                        + s.length());
            }
            result = s.charAt(0);
        } else if (type == Object.class) {
            result = toNatural(o, 0);
        } else {
            throw new IllegalArgumentException("pyjama cannot convert a Python object to " + type.getName()
                    + " (supported: String, long, int, short, byte, double, float, boolean, char, BigInteger, byte[],"
                    + " Object, PyObject and its typed handles)");
        }
        return type.isPrimitive() ? (T) result : type.cast(result);
    }

    /** The Java value of {@code o} (borrowed) as a possibly generic {@code type}. */
    public static Object toJava(long o, java.lang.reflect.Type type) {
        if (type instanceof Class<?> c) {
            return toJava(o, c);
        }
        throw new UnsupportedOperationException("generic conversion to " + type.getTypeName() + " is not implemented yet");
    }

    /** The closest Java value: None, bool, int, float, str, bytes, list, tuple, dict, set; else null. */
    private static Object toNatural(long o, int depth) {
        if (depth > 1000) {
            throw new IllegalArgumentException("nesting deeper than 1000 levels");
        }
        if (CApi.isNone(o)) {
            return null;
        }
        long type = CApi.borrowedType(o);
        long flags = CApi.typeFlags(type);
        if (type == Interpreter.type("PyBool_Type")) {
            return o == Interpreter.trueObj();
        }
        if ((flags & Interpreter.TPFLAGS_LONG_SUBCLASS) != 0) {
            return fitsLong(o) ? (Object) toLong(o) : toBigInteger(o);
        }
        if (type == Interpreter.type("PyFloat_Type")) {
            return toDouble(o);
        }
        if ((flags & Interpreter.TPFLAGS_UNICODE_SUBCLASS) != 0) {
            return Strings.toJava(o);
        }
        if ((flags & Interpreter.TPFLAGS_BYTES_SUBCLASS) != 0) {
            return toBytes(o);
        }
        if ((flags & (Interpreter.TPFLAGS_LIST_SUBCLASS | Interpreter.TPFLAGS_TUPLE_SUBCLASS)) != 0) {
            long n = CApi.size(o);
            List<Object> list = new ArrayList<>((int) Math.min(n, Integer.MAX_VALUE));
            for (long i = 0; i < n; i++) {
                long item = CApi.checkNew(LibPython.PySequence_GetItem(CApi.p(o), i));
                try {
                    list.add(toNatural(item, depth + 1));
                } finally {
                    CApi.decRef(item);
                }
            }
            return list;
        }
        if ((flags & Interpreter.TPFLAGS_DICT_SUBCLASS) != 0) {
            Map<Object, Object> map = new LinkedHashMap<>();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pos = arena.allocate(JAVA_LONG);
                MemorySegment key = arena.allocate(ADDRESS);
                MemorySegment value = arena.allocate(ADDRESS);
                // OWNERSHIP: PyDict_Next lends key and value; converting them runs no Python code that
                // could mutate this dict, so the borrowed references stay valid.
                while (LibPython.PyDict_Next(CApi.p(o), pos, key, value) != 0) {
                    map.put(toNatural(key.get(JAVA_LONG, 0), depth + 1), toNatural(value.get(JAVA_LONG, 0), depth + 1));
                }
            }
            return map;
        }
        if (type == Interpreter.type("PySet_Type") || type == Interpreter.type("PyFrozenSet_Type")) {
            Set<Object> set = new LinkedHashSet<>();
            long it = CApi.newIter(o);
            try {
                long item;
                while ((item = CApi.newNextOrZero(it)) != 0) {
                    try {
                        set.add(toNatural(item, depth + 1));
                    } finally {
                        CApi.decRef(item);
                    }
                }
            } finally {
                CApi.decRef(it);
            }
            return set;
        }
        CApi.incRef(o);
        return ApiAccess.handles().bindNew(o);
    }

    static String toJavaString(long o) {
        if (!CApi.isStr(o)) {
            throw PythonErrors.newTypeError("expected str, got " + typeName(o));
        }
        return Strings.toJava(o);
    }

    private static boolean fitsLong(long o) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment overflow = arena.allocate(JAVA_INT);
            long v = LibPython.PyLong_AsLongLongAndOverflow(CApi.p(o), overflow);
            if (v == -1 && CApi.errorPending()) {
                throw PythonErrors.fetch();
            }
            return overflow.get(JAVA_INT, 0) == 0;
        }
    }

    /** An int, or any object with {@code __index__} (numpy integers), as a long; OverflowError when it does not fit. */
    static long toLong(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Interpreter.TPFLAGS_LONG_SUBCLASS) == 0) {
            if (LibPython.PyIndex_Check(CApi.p(o)) == 0) {
                throw PythonErrors.newTypeError("expected int, got " + typeName(o));
            }
            long index = CApi.checkNew(LibPython.PyNumber_Index(CApi.p(o)));
            try {
                return toLong(index);
            } finally {
                CApi.decRef(index);
            }
        }
        long v = LibPython.PyLong_AsLongLong(CApi.p(o));
        if (v == -1 && CApi.errorPending()) {
            throw PythonErrors.fetch();
        }
        return v;
    }

    private static long narrow(long v, long min, long max, String javaType) {
        if (v < min || v > max) {
            throw new PyOverflowError("Python int " + v + " does not fit in a Java " + javaType);
        }
        return v;
    }

    /** A float, or anything with {@code __float__} or {@code __index__} (int), as a double; str is refused. */
    static double toDouble(long o) {
        if (CApi.isStr(o)) {
            throw PythonErrors.newTypeError("expected float, got " + typeName(o));
        }
        double d = LibPython.PyFloat_AsDouble(CApi.p(o));
        if (d == -1.0 && CApi.errorPending()) {
            throw PythonErrors.fetch();
        }
        return d;
    }

    static boolean toBoolean(long o) {
        if (o == Interpreter.trueObj()) {
            return true;
        }
        if (o == Interpreter.falseObj()) {
            return false;
        }
        throw PythonErrors.newTypeError("expected bool, got " + typeName(o)
                + " (use isTruthy() for Python's truth value of any object)");
    }

    static BigInteger toBigInteger(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Interpreter.TPFLAGS_LONG_SUBCLASS) == 0) {
            if (LibPython.PyIndex_Check(CApi.p(o)) == 0) {
                throw PythonErrors.newTypeError("expected int, got " + typeName(o));
            }
            long index = CApi.checkNew(LibPython.PyNumber_Index(CApi.p(o)));
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
        long text = CApi.checkNew(LibPython.PyObject_Format(CApi.p(o), CApi.p(spec)));
        try {
            return new BigInteger(Strings.toJava(text), 16);
        } finally {
            CApi.decRef(text);
        }
    }

    static byte[] toBytes(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Interpreter.TPFLAGS_BYTES_SUBCLASS) != 0) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = arena.allocate(ADDRESS);
                MemorySegment size = arena.allocate(JAVA_LONG);
                CApi.checkInt(LibPython.PyBytes_AsStringAndSize(CApi.p(o), data, size));
                long n = size.get(JAVA_LONG, 0);
                return data.get(ADDRESS, 0).reinterpret(n).toArray(JAVA_BYTE);
            }
        }
        if (CApi.borrowedType(o) == Interpreter.type("PyByteArray_Type")) {
            long n = checkSizeNonNegative(LibPython.PyByteArray_Size(CApi.p(o)));
            return LibPython.PyByteArray_AsString(CApi.p(o)).reinterpret(n).toArray(JAVA_BYTE);
        }
        throw PythonErrors.newTypeError("expected bytes or bytearray, got " + typeName(o));
    }

    private static long checkSizeNonNegative(long n) {
        return CApi.checkSize(n);
    }

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
}
