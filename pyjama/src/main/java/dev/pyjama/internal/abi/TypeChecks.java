package dev.pyjama.internal.abi;


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

    private static boolean instanceOf(long o, long type) {
        return CApi.borrowedType(o) == type || CApi.isInstance(o, type);
    }

    /** Whether type(o) is exactly the built-in type named by its C symbol, e.g. "PyList_Type". */
    public static boolean isExactly(long o, String typeSymbol) {
        return CApi.borrowedType(o) == Symbol.valueOf(typeSymbol).object();
    }

    /** {@code isinstance(o, int)} (bool included). */
    public static boolean isInt(long o) {
        return (flags(o) & Abi.TPFLAGS_LONG_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, bool)}. */
    public static boolean isBool(long o) {
        return CApi.borrowedType(o) == Abi.boolType();
    }

    /** {@code isinstance(o, float)}. */
    public static boolean isFloat(long o) {
        return instanceOf(o, Abi.floatType());
    }

    /** {@code isinstance(o, str)}. */
    public static boolean isStr(long o) {
        return (flags(o) & Abi.TPFLAGS_UNICODE_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, bytes)}. */
    public static boolean isBytes(long o) {
        return (flags(o) & Abi.TPFLAGS_BYTES_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, bytearray)}. */
    public static boolean isByteArray(long o) {
        return instanceOf(o, Abi.byteArrayType());
    }

    /** {@code isinstance(o, list)}. */
    public static boolean isList(long o) {
        return (flags(o) & Abi.TPFLAGS_LIST_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, tuple)}. */
    public static boolean isTuple(long o) {
        return (flags(o) & Abi.TPFLAGS_TUPLE_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, dict)}. */
    public static boolean isDict(long o) {
        return (flags(o) & Abi.TPFLAGS_DICT_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, set)}. */
    public static boolean isSet(long o) {
        return instanceOf(o, Abi.setType());
    }

    /** {@code isinstance(o, frozenset)}. */
    public static boolean isFrozenSet(long o) {
        return instanceOf(o, Abi.frozenSetType());
    }

    /** {@code isinstance(o, types.ModuleType)}. */
    public static boolean isModule(long o) {
        return instanceOf(o, Symbol.PyModule_Type.object());
    }

    /** {@code isinstance(o, type)}. */
    public static boolean isType(long o) {
        return (flags(o) & Abi.TPFLAGS_TYPE_SUBCLASS) != 0;
    }

    /** {@code isinstance(o, slice)}. */
    public static boolean isSlice(long o) {
        return CApi.borrowedType(o) == Symbol.PySlice_Type.object();
    }

    /** Whether {@code o} is an iterator (has {@code __next__}). */
    public static boolean isIterator(long o) {
        return Symbol.PyIter_Check.call(o) != 0;
    }

    /** {@code callable(o)}. */
    public static boolean isCallable(long o) {
        return CApi.isCallable(o);
    }

    /** {@code type(o).__name__}, for messages. */
    public static String typeName(long o) {
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
