package dev.pyjama.internal;

/**
 * Checks of an object's Python type, for downcasts. They read only the type pointer (at the offset
 * probed for this build) and the type's flags, through exported functions.
 */
public final class TypeChecks {

    private TypeChecks() {}

    /** {@code isinstance(o, types.ModuleType)}. */
    public static boolean isModule(long o) {
        return CApi.isInstance(o, Interpreter.type("PyModule_Type"));
    }

    /** {@code isinstance(o, type)}. */
    public static boolean isType(long o) {
        return (CApi.typeFlags(CApi.borrowedType(o)) & Interpreter.TPFLAGS_TYPE_SUBCLASS) != 0;
    }

    /** {@code type(o).__name__}, for messages. */
    public static String typeName(long o) {
        return Conversions.typeName(o);
    }
}
