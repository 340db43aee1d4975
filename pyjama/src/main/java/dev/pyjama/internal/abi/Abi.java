package dev.pyjama.internal.abi;

import java.lang.foreign.MemorySegment;

/**
 * The running CPython's profile and constants as plain statics, read on every operation: the
 * {@link AbiProfile} chosen at start, the singletons and the built-in types by address.
 *
 * <p>Written once, by the starting thread, before the interpreter is published to other threads
 * through a volatile write in the runtime; every reader gets here after reading that field or
 * through a scope opened after the start, so the values are safely visible.
 */
public final class Abi {

    /** PY_VECTORCALL_ARGUMENTS_OFFSET: the callee may use args[-1]. */
    public static final long VECTORCALL_ARGUMENTS_OFFSET = 1L << 63;
    // Py_TPFLAGS_*_SUBCLASS (Include/object.h, part of the stable ABI).
    public static final long TPFLAGS_LONG_SUBCLASS = 1L << 24;
    public static final long TPFLAGS_LIST_SUBCLASS = 1L << 25;
    public static final long TPFLAGS_TUPLE_SUBCLASS = 1L << 26;
    public static final long TPFLAGS_BYTES_SUBCLASS = 1L << 27;
    public static final long TPFLAGS_UNICODE_SUBCLASS = 1L << 28;
    public static final long TPFLAGS_DICT_SUBCLASS = 1L << 29;
    public static final long TPFLAGS_BASE_EXC_SUBCLASS = 1L << 30;
    public static final long TPFLAGS_TYPE_SUBCLASS = 1L << 31;

    private static AbiProfile profile;
    static long typeOffset;
    static boolean inlineRefCounts;
    static boolean immortals;
    static boolean vectorcall;
    static boolean freeThreaded;
    static boolean compactInts;
    static boolean exactFloats;
    static boolean compactStrs;
    static int minor;
    private static long none;
    private static long trueObj;
    private static long falseObj;
    private static long longType;
    private static long floatType;
    private static long strType;
    private static long boolType;
    private static long setType;
    private static long frozenSetType;
    private static long byteArrayType;
    private static long typeType;
    private static long listType;
    private static long tupleType;

    private Abi() {}

    static final int RTLD_NOW = 0x002;
    static final int RTLD_GLOBAL = 0x100;

    /**
     * Loads libpython: {@code dlopen(path, RTLD_NOW | RTLD_GLOBAL)} first, so that C extension
     * modules loaded later find its symbols and pyjama's symbol table finds them through the
     * handle, then {@code System.load}, for the generated bindings ({@code dev.pyjama.ffi}), which
     * find them through the class loader's lookup. The JVM refuses that second load in a second
     * class loader (another copy of pyjama in the same JVM): pyjama itself does not need it, only
     * that copy's generated bindings do, which then cannot find libpython's symbols.
     *
     * @return null on success, otherwise why it failed
     */
    public static String load(String path) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            long handle = Symbol.dlopen.call(arena.allocateFrom(path).address(), RTLD_NOW | RTLD_GLOBAL);
            if (handle == 0) {
                long error = Symbol.dlerror.call();
                return error == 0 ? "dlopen failed" : MemorySegment.ofAddress(error).reinterpret(4096).getString(0);
            }
            Symbol.useLibrary(handle);
        }
        try {
            System.load(path);
        } catch (UnsatisfiedLinkError e) {
            if (e.getMessage() == null || !e.getMessage().contains("another classloader")) {
                return e.getMessage();
            }
        }
        return null;
    }

    /**
     * Reads the version and chooses the starting profile, right after libpython is loaded and before
     * anything else is called: the constants are exported objects, found by address.
     */
    public static AbiProfile start(boolean freeThreadedBuild) {
        String version = MemorySegment.ofAddress(Symbol.Py_GetVersion.call()).reinterpret(256).getString(0);
        int m = parseMinor(version);
        none = Symbol._Py_NoneStruct.object();
        trueObj = Symbol._Py_TrueStruct.object();
        falseObj = Symbol._Py_FalseStruct.object();
        longType = Symbol.PyLong_Type.object();
        floatType = Symbol.PyFloat_Type.object();
        strType = Symbol.PyUnicode_Type.object();
        boolType = Symbol.PyBool_Type.object();
        setType = Symbol.PySet_Type.object();
        frozenSetType = Symbol.PyFrozenSet_Type.object();
        byteArrayType = Symbol.PyByteArray_Type.object();
        typeType = Symbol.PyType_Type.object();
        listType = Symbol.PyList_Type.object();
        tupleType = Symbol.PyTuple_Type.object();
        install(AbiProfile.initial(version, m, freeThreadedBuild));
        return profile;
    }

    /**
     * Runs the header probe (memory reads of two exported objects, no call) and installs the profile
     * it confirms. Called once by the starting thread after {@code Py_InitializeEx}. The value-layout
     * probes run on first use of their layout (start-up links no downcall for them); {@link #profile()}
     * reports their outcome.
     */
    public static AbiProfile probeHeader() {
        AbiProfile p = profile;
        if (!p.portable()) {
            long offset = ObjectHeader.probeTypeOffset();
            install(p.withTypeOffset(offset, !Symbol.isExported("_Py_NegativeRefcount")));
        }
        return profile;
    }

    private static void install(AbiProfile p) {
        profile = p;
        minor = p.minor();
        freeThreaded = p.freeThreaded();
        typeOffset = p.typeOffset();
        inlineRefCounts = p.inlineRefCounts();
        compactInts = p.compactInts();
        exactFloats = p.exactFloats();
        compactStrs = p.compactStrs();
        immortals = p.minor() >= 12;
        vectorcall = p.minor() >= 11;
    }

    /** The minor version (3.x) in {@code version}, or -1. */
    public static int parseMinor(String version) {
        int dot = version.indexOf('.');
        int end = dot + 1;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(version.substring(dot + 1, end));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The profile of the running interpreter, with the outcome of every value-layout probe (run now
     * if they have not run yet: the caller holds the GIL).
     */
    public static AbiProfile profile() {
        AbiProfile p = profile;
        return p.confirmed(p.compactInts() && IntLayout.AVAILABLE, p.exactFloats() && FloatLayout.AVAILABLE,
                p.compactStrs() && StrLayout.AVAILABLE);
    }

    /** The profile as chosen at start, before the value-layout probes (no GIL needed). */
    static AbiProfile chosen() {
        return profile;
    }

    /** {@link AbiProfile#describe()} of the profile chosen at start, before the value-layout probes (no GIL needed; for JFR). */
    public static String chosenDescription() {
        AbiProfile p = profile;
        return p == null ? null : p.describe();
    }

    public static int minor() {
        return minor;
    }

    public static boolean freeThreaded() {
        return freeThreaded;
    }

    /** Whether {@code PyObject_Vectorcall} and {@code PyObject_CallOneArg} are exported (3.11+). */
    public static boolean hasVectorcall() {
        return vectorcall;
    }

    public static long none() {
        return none;
    }

    public static long trueObj() {
        return trueObj;
    }

    public static long falseObj() {
        return falseObj;
    }

    /** {@code bool}'s type object. */
    public static long boolType() {
        return boolType;
    }

    /** {@code set}'s type object. */
    public static long setType() {
        return setType;
    }

    /** {@code frozenset}'s type object. */
    public static long frozenSetType() {
        return frozenSetType;
    }

    /** {@code bytearray}'s type object. */
    public static long byteArrayType() {
        return byteArrayType;
    }

    /** {@code list}'s type object. */
    public static long listType() {
        return listType;
    }

    /** {@code tuple}'s type object. */
    public static long tupleType() {
        return tupleType;
    }

    /** {@code type}'s type object. */
    public static long typeType() {
        return typeType;
    }

    /** {@code int}'s type object, for exact-type checks. */
    public static long longType() {
        return longType;
    }

    /** {@code float}'s type object, for exact-type checks. */
    public static long floatType() {
        return floatType;
    }

    /** {@code str}'s type object, for exact-type checks. */
    public static long strType() {
        return strType;
    }
}
