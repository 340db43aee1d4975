package dev.pyjama.internal;

import dev.pyjama.ffi.LibPython;

/**
 * Checks of an object's Python type, for downcasts: the subclass checks read the type pointer (at
 * the offset probed for this build) and the type's flags through exported functions; the exact
 * checks compare the type pointer with the built-in type object.
 */
public final class TypeChecks {

    private TypeChecks() {}

    private static long flags(long o) {
        return CApi.typeFlags(CApi.borrowedType(o));
    }

    private static boolean instanceOf(long o, String typeSymbol) {
        long t = Interpreter.type(typeSymbol);
        return CApi.borrowedType(o) == t || CApi.isInstance(o, t);
    }

    /** Whether type(o) is exactly the built-in type named by its C symbol, e.g. "PyList_Type". */
    public static boolean isExactly(long o, String typeSymbol) {
        return CApi.borrowedType(o) == Interpreter.type(typeSymbol);
    }

    /** {@code isinstance(o, int)} (bool included). */
    public static boolean isInt(long o) {
        return (flags(o) & Interpreter.TPFLAGS_LONG_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, bool)}. */
    public static boolean isBool(long o) {
        return CApi.borrowedType(o) == Interpreter.type("PyBool_Type");
    }

    /** {@code isinstance(o, float)}. */
    public static boolean isFloat(long o) {
        return instanceOf(o, "PyFloat_Type");
    }

    /** {@code isinstance(o, str)}. */
    public static boolean isStr(long o) {
        return (flags(o) & Interpreter.TPFLAGS_UNICODE_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, bytes)}. */
    public static boolean isBytes(long o) {
        return (flags(o) & Interpreter.TPFLAGS_BYTES_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, bytearray)}. */
    public static boolean isByteArray(long o) {
        return instanceOf(o, "PyByteArray_Type");
    }

    /** {@code isinstance(o, list)}. */
    public static boolean isList(long o) {
        return (flags(o) & Interpreter.TPFLAGS_LIST_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, tuple)}. */
    public static boolean isTuple(long o) {
        return (flags(o) & Interpreter.TPFLAGS_TUPLE_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, dict)}. */
    public static boolean isDict(long o) {
        return (flags(o) & Interpreter.TPFLAGS_DICT_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, set)}. */
    public static boolean isSet(long o) {
        return instanceOf(o, "PySet_Type");
    }

    /** {@code isinstance(o, frozenset)}. */
    public static boolean isFrozenSet(long o) {
        return instanceOf(o, "PyFrozenSet_Type");
    }

    /** {@code isinstance(o, types.ModuleType)}. */
    public static boolean isModule(long o) {
        return instanceOf(o, "PyModule_Type");
    }

    /** {@code isinstance(o, type)}. */
    public static boolean isType(long o) {
        return (flags(o) & Interpreter.TPFLAGS_TYPE_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, slice)}. */
    public static boolean isSlice(long o) {
        return CApi.borrowedType(o) == Interpreter.type("PySlice_Type");
    }

    /** Whether {@code o} is an iterator (has {@code __next__}). */
    public static boolean isIterator(long o) {
        return LibPython.PyIter_Check(CApi.p(o)) != 0;
    }

    /** {@code callable(o)}. */
    public static boolean isCallable(long o) {
        return CApi.isCallable(o);
    }

    /** {@code type(o).__name__}, for messages. */
    public static String typeName(long o) {
        return Conversions.typeName(o);
    }
}
