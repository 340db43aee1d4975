package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The one facade over the C API calls the runtime makes. Addresses of Python objects travel as
 * {@code long}. Method names say who owns what:
 * <ul>
 *   <li>a result named {@code new...} or documented "new reference" belongs to the caller, who must
 *       release it (usually by giving it to a scope);</li>
 *   <li>{@code borrowed...} results are valid only while their container lives;</li>
 *   <li>arguments are borrowed unless the parameter is named {@code stolen}.</li>
 * </ul>
 * Every call that can fail is checked: NULL or -1 becomes the pending Python error, thrown as a
 * Java exception by {@link PythonErrors#fetch()}, with the error indicator cleared.
 *
 * <p>All methods require the calling thread to hold the GIL (be attached).
 */
public final class CApi {

    // CPython's values (Include/compile.h, fixed by the stable ABI), not the generated constants:
    // reading those would load the bindings' main class on the way to the first result.
    /** Compile modes of {@code Py_CompileString}: one expression (Py_eval_input). */
    public static final int EVAL_INPUT = 258;
    /** A sequence of statements, as in a module (Py_file_input). */
    public static final int FILE_INPUT = 257;

    /**
     * All of memory, for reading object headers and filling argument arrays by address without a
     * segment per access (and without the restricted-method check of {@code reinterpret} each time).
     */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private CApi() {}

    static MemorySegment p(long address) {
        return MemorySegment.ofAddress(address);
    }

    // --- shared checkers ---

    /** A new reference, or the pending Python error thrown. */
    static long checkNew(MemorySegment result) {
        return checkNew(result.address());
    }

    /** A new reference, or the pending Python error thrown. */
    static long checkNew(long result) {
        if (result == 0) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    /**
     * What start-up, the first {@code eval} and the exit flush call here, in word form (see
     * {@link WordCalls}): their downcall shapes are the ones start-up links anyway.
     */
    private static final class StartPath {
        static final MemorySegment COMPILE = WordCalls.python("Py_CompileString");
        static final MemorySegment EVAL = WordCalls.python("PyEval_EvalCode");
        static final MemorySegment EXEC_MODULE = WordCalls.python("PyImport_ExecCodeModuleEx");
        static final MemorySegment NEW_DICT = WordCalls.python("PyDict_New");
        static final MemorySegment IMPORT_MODULE = WordCalls.python("PyImport_ImportModule");
    }

    /** A C int result where -1 means failure. */
    static int checkInt(int result) {
        if (result == -1) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    /** A Py_ssize_t result where -1 means failure. */
    static long checkSize(long result) {
        if (result == -1) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    static boolean errorPending() {
        return DirectCalls.errOccurred();
    }

    // --- reference counts ---

    /**
     * {@code Py_INCREF}: where {@link #decRef} works in Java, so does this, as the C macro does (an
     * immortal object of 3.12+, whose low 32 bits are all ones, is left alone); else
     * {@code Py_IncRef}.
     */
    public static void incRef(long o) {
        if (Interpreter.inlineRefCounts() && o != 0) { // Py_IncRef(NULL) is a no-op, a write at 0 is not
            long count = ALL.get(JAVA_LONG_UNALIGNED, o);
            if (Interpreter.immortals()) {
                // 3.12+ counts in the low 32 bits only; all ones there marks an immortal object.
                int low = (int) count;
                if (low != -1) {
                    ALL.set(JAVA_LONG_UNALIGNED, o, (count & 0xFFFF_FFFF_0000_0000L) | ((low + 1) & 0xFFFF_FFFFL));
                }
            } else {
                ALL.set(JAVA_LONG_UNALIGNED, o, count + 1);
            }
            return;
        }
        DirectCalls.incRef(o);
    }

    /** A new reference to a borrowed object ({@code Py_NewRef}): increments and returns it. */
    public static long newRef(long borrowed) {
        incRef(borrowed);
        return borrowed;
    }

    /**
     * {@code Py_DECREF}: may run arbitrary Python code ({@code __del__}). As the C macro does, a
     * count above one is decremented in place (the GIL is held) and an immortal object is left
     * alone; only a release that may free the object calls {@code Py_DecRef}: an ordinary downcall,
     * or a critical one for an exact int, float or str, whose deallocation runs no Python code.
     */
    public static void decRef(long o) {
        if (Interpreter.inlineRefCounts() && o != 0) { // Py_DecRef(NULL) is a no-op, a read at 0 is not
            long count = ALL.get(JAVA_LONG_UNALIGNED, o);
            if (Interpreter.immortals() && (int) count < 0) {
                return;
            }
            if (count > 1) {
                ALL.set(JAVA_LONG_UNALIGNED, o, count - 1);
                return;
            }
            long type = borrowedType(o);
            if ((type == Interpreter.longType() && SpareInt.keep(o))
                    || (type == Interpreter.strType() && SpareStr.keep(o))) {
                return; // kept, to be rewritten rather than allocated next time
            }
            if (type == Interpreter.longType() || type == Interpreter.floatType() || type == Interpreter.strType()) {
                DirectCalls.decRefPlain(o); // freeing these runs no Python code: a critical downcall
                return;
            }
        }
        DirectCalls.decRef(o);
    }

    /** Runs {@code body} with the error indicator saved before and restored after. */
    static void withErrorSaved(Runnable body) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(ADDRESS, 3);
            LibPython.PyErr_Fetch(slots, slots.asSlice(8), slots.asSlice(16));
            try {
                body.run();
            } finally {
                if (errorPending()) {
                    LibPython.PyErr_Clear();
                }
                LibPython.PyErr_Restore(slots.get(ADDRESS, 0), slots.get(ADDRESS, 8), slots.get(ADDRESS, 16));
            }
        }
    }

    // --- attributes and items ---

    /** {@code getattr(o, name)}: a new reference. */
    public static long newGetAttr(long o, long name) {
        return checkResult(DirectCalls.getAttr(o, name));
    }

    /**
     * {@code getattr(o, name)} where a missing attribute is not an error.
     *
     * @return a new reference, or 0 when {@code o} has no such attribute (AttributeError cleared)
     */
    public static long newGetAttrOrZero(long o, long name) {
        long a = DirectCalls.getAttr(o, name);
        if (a == 0) {
            if (LibPython.PyErr_ExceptionMatches(LibPython.PyExc_AttributeError()) != 0) {
                LibPython.PyErr_Clear();
                return 0;
            }
            throw PythonErrors.fetch();
        }
        return a;
    }

    /** {@code setattr(o, name, value)}. */
    public static void setAttr(long o, long name, long value) {
        checkInt(LibPython.PyObject_SetAttr(p(o), p(name), p(value)));
    }

    /** {@code delattr(o, name)}. */
    public static void delAttr(long o, long name) {
        checkInt(LibPython.PyObject_SetAttr(p(o), p(name), MemorySegment.NULL));
    }

    /** {@code o[key]}: a new reference. */
    public static long newGetItem(long o, long key) {
        return checkNew(LibPython.PyObject_GetItem(p(o), p(key)));
    }

    /** {@code o[key] = value}. */
    public static void setItem(long o, long key, long value) {
        checkInt(LibPython.PyObject_SetItem(p(o), p(key), p(value)));
    }

    /** {@code del o[key]}. */
    public static void delItem(long o, long key) {
        checkInt(LibPython.PyObject_DelItem(p(o), p(key)));
    }

    /** {@code len(o)}. */
    public static long size(long o) {
        return checkSize(LibPython.PyObject_Size(p(o)));
    }

    /** {@code value in o}. */
    public static boolean contains(long o, long value) {
        return checkInt(LibPython.PySequence_Contains(p(o), p(value))) == 1;
    }

    /** {@code iter(o)}: a new reference. */
    public static long newIter(long o) {
        return checkNew(LibPython.PyObject_GetIter(p(o)));
    }

    /** {@code next(it)}: a new reference, or 0 when the iterator is exhausted. */
    public static long newNextOrZero(long it) {
        long a = LibPython.PyIter_Next(p(it)).address();
        if (a == 0 && errorPending()) {
            throw PythonErrors.fetch();
        }
        return a;
    }

    /** {@code repr(o)}: a new reference. */
    public static long newRepr(long o) {
        return checkNew(LibPython.PyObject_Repr(p(o)));
    }

    /** {@code str(o)}: a new reference. */
    public static long newStr(long o) {
        return checkNew(LibPython.PyObject_Str(p(o)));
    }

    /** {@code type(o)}: a borrowed reference, read from the object's header at the offset probed for this build. */
    public static long borrowedType(long o) {
        return ALL.get(JAVA_LONG, o + Interpreter.obTypeOffset());
    }

    /** {@code isinstance(o, type)}. */
    public static boolean isInstance(long o, long type) {
        return checkInt(LibPython.PyObject_IsInstance(p(o), p(type))) == 1;
    }

    /** {@code issubclass(a, b)}. */
    public static boolean isSubclass(long a, long b) {
        return checkInt(LibPython.PyObject_IsSubclass(p(a), p(b))) == 1;
    }

    /** {@code bool(o)}. */
    public static boolean isTrue(long o) {
        return checkInt(LibPython.PyObject_IsTrue(p(o))) == 1;
    }

    /** {@code hash(o)}. */
    public static long hash(long o) {
        long h = LibPython.PyObject_Hash(p(o));
        if (h == -1 && errorPending()) {
            throw PythonErrors.fetch();
        }
        return h;
    }

    /**
     * Rich comparison {@code bool(a op b)}; {@code op} is one of Py_LT ... Py_GE. Unlike
     * {@code PyObject_RichCompareBool} there is no identity shortcut: {@code nan == nan} is false,
     * as Python's operator says.
     */
    public static boolean compare(long a, long b, int op) {
        long r = checkNew(LibPython.PyObject_RichCompare(p(a), p(b), op));
        try {
            return isTrue(r);
        } finally {
            decRef(r);
        }
    }

    /** Rich comparison {@code a op b} as an object: a new reference. */
    public static long newCompare(long a, long b, int op) {
        return checkNew(LibPython.PyObject_RichCompare(p(a), p(b), op));
    }

    /** The type's {@code tp_flags}. */
    public static long typeFlags(long type) {
        return DirectCalls.typeFlags(type);
    }

    /** {@code callable(o)}. */
    public static boolean isCallable(long o) {
        return LibPython.PyCallable_Check(p(o)) != 0;
    }

    // --- calls ---

    /**
     * Calls {@code callable} with {@code nargs} positional arguments at {@code args} (an array of
     * object pointers whose slot -1 may be overwritten, PY_VECTORCALL_ARGUMENTS_OFFSET) and
     * optional keyword names: a new reference.
     */
    public static long newVectorcall(long callable, long args, long nargs, long kwnames) {
        long nargsf = nargs | Interpreter.VECTORCALL_ARGUMENTS_OFFSET;
        if (Interpreter.hasVectorcall()) {
            return checkResult(DirectCalls.vectorcall(callable, args, nargsf, kwnames));
        }
        if (kwnames == 0) {
            return checkResult(DirectCalls.vectorcallDict(callable, args, nargsf, 0));
        }
        // 3.10 has no exported PyObject_Vectorcall: pass keywords as a dict instead.
        long kwargs = checkNew(LibPython.PyDict_New());
        try {
            long nkw = LibPython.PyTuple_Size(p(kwnames));
            MemorySegment values = MemorySegment.ofAddress(args).reinterpret((nargs + nkw) * 8);
            for (long i = 0; i < nkw; i++) {
                MemorySegment key = LibPython.PyTuple_GetItem(p(kwnames), i);
                checkInt(LibPython.PyDict_SetItem(p(kwargs), key, values.getAtIndex(ADDRESS, nargs + i)));
            }
            return checkResult(DirectCalls.vectorcallDict(callable, args, nargs, kwargs));
        } finally {
            decRef(kwargs);
        }
    }

    /** {@code args[0].name(*args[1:nargs])}: a new reference; {@code name} must be a str. */
    public static long newVectorcallMethod(long name, long args, long nargs) {
        long nargsf = nargs | Interpreter.VECTORCALL_ARGUMENTS_OFFSET;
        return checkResult(DirectCalls.vectorcallMethod(name, args, nargsf, 0));
    }

    /** {@code o.name()}: a new reference. */
    public static long newCallMethod(long o, long name) {
        return Calls.callMethod(o, name, new Object[0]);
    }

    /** {@code callable(arg)}: a new reference, or 0 with the Python error left pending. */
    static long newCallOneArgOrZero(long callable, long arg) {
        long args = checkNew(LibPython.PyTuple_New(1));
        incRef(arg);
        LibPython.PyTuple_SetItem(p(args), 0, p(arg)); // OWNERSHIP: steals the reference just taken
        try {
            return LibPython.PyObject_CallObject(p(callable), p(args)).address();
        } finally {
            decRef(args);
        }
    }

    /** {@code callable(*args, **kwargs)} with a tuple and an optional dict: a new reference. */
    public static long newCall(long callable, long argsTuple, long kwargsDict) {
        return checkNew(LibPython.PyObject_Call(p(callable), p(argsTuple), p(kwargsDict)));
    }

    static long checkResult(long result) {
        if (result == 0) {
            throw PythonErrors.fetch();
        }
        return result;
    }

    // --- code ---

    /** {@code compile(source, filename, mode)}: a new reference. Mode is Py_eval_input, Py_file_input... */
    public static long newCompile(String source, String fileName, int mode) {
        if (source.indexOf('\0') >= 0) {
            throw PythonErrors.newValueError("source code string cannot contain null bytes");
        }
        checkNoNul(fileName, "file name");
        try (Arena arena = Arena.ofConfined()) {
            return checkNew(WordCalls.call(StartPath.COMPILE, arena.allocateFrom(source).address(),
                    arena.allocateFrom(fileName).address(), mode));
        }
    }

    /** Strings passed to C as NUL-terminated text must not contain NUL themselves. */
    static void checkNoNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw PythonErrors.newValueError("embedded null character in " + what);
        }
    }

    /** {@code eval(code, globals, locals)} of a code object: a new reference. */
    public static long newEvalCode(long code, long globals, long locals) {
        return checkNew(WordCalls.call(StartPath.EVAL, code, globals, locals));
    }

    /** Executes a code object as module {@code name} (registered in sys.modules): a new reference. */
    public static long newExecCodeModule(String name, long code, String fileName) {
        checkNoNul(name, "module name");
        checkNoNul(fileName, "file name");
        try (Arena arena = Arena.ofConfined()) {
            return checkNew(WordCalls.call(StartPath.EXEC_MODULE, arena.allocateFrom(name).address(), code,
                    arena.allocateFrom(fileName).address()));
        }
    }

    /** {@code import name}, giving the (sub)module itself: a new reference. */
    public static long newImportModule(String name) {
        checkNoNul(name, "module name");
        try (Arena arena = Arena.ofConfined()) {
            return checkNew(WordCalls.call(StartPath.IMPORT_MODULE, arena.allocateFrom(name).address()));
        }
    }

    /** The dict of {@code __main__}: borrowed, valid for the interpreter's life. */
    public static long mainDict() {
        return Interpreter.mainDict();
    }

    /** {@code import name}: a new reference to the module. */
    public static long newImport(long nameStr) {
        return checkNew(LibPython.PyImport_Import(p(nameStr)));
    }

    // --- objects of built-in types ---

    /** A new reference to a new {@code dict}. */
    public static long newDict() {
        return checkNew(WordCalls.call(StartPath.NEW_DICT));
    }

    /** A new reference to a new tuple of {@code n} NULL slots, to be filled with {@link #tupleSetStolen}. */
    public static long newTuple(long n) {
        return checkNew(LibPython.PyTuple_New(n));
    }

    /** Puts {@code stolen} into slot {@code i} of a fresh tuple; the reference now belongs to the tuple. */
    public static void tupleSetStolen(long tuple, long i, long stolen) {
        checkInt(LibPython.PyTuple_SetItem(p(tuple), i, p(stolen)));
    }

    /** The tuple's item {@code i}: a borrowed reference. */
    public static long borrowedTupleItem(long tuple, long i) {
        return checkNew(LibPython.PyTuple_GetItem(p(tuple), i));
    }

    /** {@code len(tuple)}. */
    public static long tupleSize(long tuple) {
        return checkSize(LibPython.PyTuple_Size(p(tuple)));
    }

    /** {@code d[key] = value} for a dict. */
    public static void dictSetItem(long dict, long key, long value) {
        checkInt(LibPython.PyDict_SetItem(p(dict), p(key), p(value)));
    }

    /** An interned str for {@code s} (any string, NULs and lone surrogates included): a new reference. */
    public static long newInternedStr(String s) {
        long str = Strings.newStr(s);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ADDRESS);
            slot.set(JAVA_LONG, 0, str);
            // OWNERSHIP: InternInPlace may replace the pointer, moving our reference to the interned copy.
            LibPython.PyUnicode_InternInPlace(slot);
            return slot.get(JAVA_LONG, 0);
        }
    }

    /** Whether {@code o} is None. */
    public static boolean isNone(long o) {
        return o == Interpreter.none();
    }

    /** Whether {@code o} is a str (or subclass). */
    public static boolean isStr(long o) {
        return (typeFlags(borrowedType(o)) & Interpreter.TPFLAGS_UNICODE_SUBCLASS) != 0;
    }

    // --- added for conversions ---

    /** {@code sys.modules.get(name)} without importing: a new reference, or 0 when not imported yet. */
    public static long newImportedModuleOrZero(long nameStr) {
        long m = LibPython.PyImport_GetModule(p(nameStr)).address();
        if (m == 0 && errorPending()) {
            throw PythonErrors.fetch();
        }
        return m;
    }

    /** {@code issubclass(a, b)} for two types, by their MRO (no {@code __subclasscheck__}); cannot fail. */
    public static boolean isSubtype(long a, long b) {
        return a == b || LibPython.PyType_IsSubtype(p(a), p(b)) != 0;
    }

    /** A new reference to a new list of {@code n} NULL slots, each to be filled with {@code PyList_SetItem}. */
    public static long newListOfSize(long n) {
        return checkNew(LibPython.PyList_New(n));
    }
}
