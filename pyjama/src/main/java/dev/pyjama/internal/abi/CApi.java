package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

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
 * Java exception by {@link PendingError#fetch()}, with the error indicator cleared.
 *
 * <p>All methods require the calling thread to hold the GIL (be attached).
 */
public final class CApi {

    // CPython's values (Include/compile.h, fixed by the stable ABI), not the generated constants.
    /** Compile modes of {@code Py_CompileString}: one expression (Py_eval_input). */
    public static final int EVAL_INPUT = 258;
    /** A sequence of statements, as in a module (Py_file_input). */
    public static final int FILE_INPUT = 257;
    // Include/methodobject.h and Include/pybuffer.h (stable ABI).
    public static final int METH_FASTCALL = 0x0080;
    public static final int METH_KEYWORDS = 0x0002;
    public static final int PyBUF_WRITABLE = 0x0001;
    public static final int PyBUF_FORMAT = 0x0004;
    public static final int PyBUF_ND = 0x0008;
    public static final int PyBUF_STRIDES = 0x0010 | PyBUF_ND;
    public static final int PyBUF_RECORDS_RO = PyBUF_STRIDES | PyBUF_FORMAT;

    /** All of memory (see {@link Native#ALL}). */
    public static final MemorySegment ALL = Native.ALL;

    private CApi() {}

    // --- shared checkers ---

    /** A new reference, or the pending Python error thrown. */
    public static long checkNew(long result) {
        if (result == 0) {
            throw PendingError.fetch();
        }
        return result;
    }

    /** The hot and start-up paths, found on first use. */
    private static final class Fn {
        static final MemorySegment COMPILE = Symbol.Py_CompileString.ordinary();
        static final MemorySegment EVAL = Symbol.PyEval_EvalCode.ordinary();
        static final MemorySegment EXEC_MODULE = Symbol.PyImport_ExecCodeModuleEx.ordinary();
        static final MemorySegment NEW_DICT = Symbol.PyDict_New.ordinary();
        static final MemorySegment IMPORT_MODULE = Symbol.PyImport_ImportModule.ordinary();
        static final MemorySegment GETATTR = Symbol.PyObject_GetAttr.ordinary();
        static final MemorySegment ERR_OCCURRED = Symbol.PyErr_Occurred.criticalAddress();
        static final MemorySegment TYPE_FLAGS = Symbol.PyType_GetFlags.criticalAddress();
        static final MemorySegment VECTORCALL_METHOD = Symbol.PyObject_VectorcallMethod.ordinary();
    }

    private static final class Fn311 {
        static final MemorySegment VECTORCALL = Symbol.PyObject_Vectorcall.ordinary();
        static final MemorySegment CALL_ONE_ARG = Symbol.PyObject_CallOneArg.ordinary();
    }

    private static final class Fn310 {
        static final MemorySegment VECTORCALL_DICT = Symbol.PyObject_VectorcallDict.ordinary();
    }

    private static final class FnNoArgs {
        static final MemorySegment CALL_NO_ARGS = Symbol.PyObject_CallNoArgs.ordinary();
    }

    /** A C int result where -1 means failure. */
    public static int checkInt(long result) {
        int r = (int) result;
        if (r == -1) {
            throw PendingError.fetch();
        }
        return r;
    }

    /** A Py_ssize_t result where -1 means failure. */
    public static long checkSize(long result) {
        if (result == -1) {
            throw PendingError.fetch();
        }
        return result;
    }

    /** Whether a Python error is set ({@code PyErr_Occurred}). */
    public static boolean errorPending() {
        return Native.critical(Fn.ERR_OCCURRED) != 0;
    }

    // --- reference counts ---

    /** {@code Py_INCREF} (see {@link ObjectHeader#incRef}). */
    public static void incRef(long o) {
        ObjectHeader.incRef(o);
    }

    /** A new reference to a borrowed object ({@code Py_NewRef}): increments and returns it. */
    public static long newRef(long borrowed) {
        ObjectHeader.incRef(borrowed);
        return borrowed;
    }

    /** {@code Py_DECREF}: may run arbitrary Python code ({@code __del__}); see {@link ObjectHeader#decRef}. */
    public static void decRef(long o) {
        ObjectHeader.decRef(o);
    }

    /** Runs {@code body} with the error indicator saved before and restored after. */
    public static void withErrorSaved(Runnable body) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(ADDRESS, 3);
            Symbol.PyErr_Fetch.call(slots.address(), slots.asSlice(8).address(), slots.asSlice(16).address());
            try {
                body.run();
            } finally {
                if (errorPending()) {
                    Symbol.PyErr_Clear.call();
                }
                Symbol.PyErr_Restore.call(slots.get(ADDRESS, 0).address(), slots.get(ADDRESS, 8).address(), slots.get(ADDRESS, 16).address());
            }
        }
    }

    // --- attributes and items ---

    /** {@code getattr(o, name)}: a new reference. */
    public static long newGetAttr(long o, long name) {
        return checkResult(Native.call(Fn.GETATTR, o, name));
    }

    /**
     * {@code getattr(o, name)} where a missing attribute is not an error.
     *
     * @return a new reference, or 0 when {@code o} has no such attribute (AttributeError cleared)
     */
    public static long newGetAttrOrZero(long o, long name) {
        long a = Native.call(Fn.GETATTR, o, name);
        if (a == 0) {
            if (Symbol.PyErr_ExceptionMatches.call(Symbol.PyExc_AttributeError.object()) != 0) {
                Symbol.PyErr_Clear.call();
                return 0;
            }
            throw PendingError.fetch();
        }
        return a;
    }

    /**
     * Whether {@code o.name} is a {@code str} equal to {@code expected}; a missing attribute is
     * {@code false}, not an error.
     */
    public static boolean strAttrEquals(long o, long name, String expected) {
        long a = newGetAttrOrZero(o, name);
        if (a == 0) {
            return false;
        }
        try {
            return isInstance(a, Abi.strType()) && expected.equals(Strings.toJava(a));
        } finally {
            decRef(a);
        }
    }

    /** {@code setattr(o, name, value)}. */
    public static void setAttr(long o, long name, long value) {
        checkInt(Symbol.PyObject_SetAttr.call(o, name, value));
    }

    /** {@code delattr(o, name)}. */
    public static void delAttr(long o, long name) {
        checkInt(Symbol.PyObject_SetAttr.call(o, name, 0));
    }

    /** {@code o[key]}: a new reference. */
    public static long newGetItem(long o, long key) {
        return checkNew(Symbol.PyObject_GetItem.call(o, key));
    }

    /** {@code o[key] = value}. */
    public static void setItem(long o, long key, long value) {
        checkInt(Symbol.PyObject_SetItem.call(o, key, value));
    }

    /** {@code del o[key]}. */
    public static void delItem(long o, long key) {
        checkInt(Symbol.PyObject_DelItem.call(o, key));
    }

    /** {@code len(o)}. */
    public static long size(long o) {
        return checkSize(Symbol.PyObject_Size.call(o));
    }

    /** {@code value in o}. */
    public static boolean contains(long o, long value) {
        return checkInt(Symbol.PySequence_Contains.call(o, value)) == 1;
    }

    /** {@code iter(o)}: a new reference. */
    public static long newIter(long o) {
        return checkNew(Symbol.PyObject_GetIter.call(o));
    }

    /** {@code next(it)}: a new reference, or 0 when the iterator is exhausted. */
    public static long newNextOrZero(long it) {
        long a = Symbol.PyIter_Next.call(it);
        if (a == 0 && errorPending()) {
            throw PendingError.fetch();
        }
        return a;
    }

    /** {@code repr(o)}: a new reference. */
    public static long newRepr(long o) {
        return checkNew(Symbol.PyObject_Repr.call(o));
    }

    /** {@code str(o)}: a new reference. */
    public static long newStr(long o) {
        return checkNew(Symbol.PyObject_Str.call(o));
    }

    /** {@code type(o)}: a borrowed reference, read from the object's header at the offset probed for this build. */
    public static long borrowedType(long o) {
        return ObjectHeader.type(o);
    }

    /** {@code isinstance(o, type)}. */
    public static boolean isInstance(long o, long type) {
        return checkInt(Symbol.PyObject_IsInstance.call(o, type)) == 1;
    }

    /** {@code issubclass(a, b)}. */
    public static boolean isSubclass(long a, long b) {
        return checkInt(Symbol.PyObject_IsSubclass.call(a, b)) == 1;
    }

    /** {@code bool(o)}. */
    public static boolean isTrue(long o) {
        return checkInt(Symbol.PyObject_IsTrue.call(o)) == 1;
    }

    /** {@code hash(o)}. */
    public static long hash(long o) {
        long h = Symbol.PyObject_Hash.call(o);
        if (h == -1 && errorPending()) {
            throw PendingError.fetch();
        }
        return h;
    }

    /**
     * Rich comparison {@code bool(a op b)}; {@code op} is one of Py_LT ... Py_GE. Unlike
     * {@code PyObject_RichCompareBool} there is no identity shortcut: {@code nan == nan} is false,
     * as Python's operator says.
     */
    public static boolean compare(long a, long b, int op) {
        long r = checkNew(Symbol.PyObject_RichCompare.call(a, b, op));
        try {
            return isTrue(r);
        } finally {
            decRef(r);
        }
    }

    /** Rich comparison {@code a op b} as an object: a new reference. */
    public static long newCompare(long a, long b, int op) {
        return checkNew(Symbol.PyObject_RichCompare.call(a, b, op));
    }

    /** The type's {@code tp_flags}. */
    public static long typeFlags(long type) {
        return Native.critical(Fn.TYPE_FLAGS, type);
    }

    /** {@code callable(o)}. */
    public static boolean isCallable(long o) {
        return Symbol.PyCallable_Check.call(o) != 0;
    }

    // --- calls ---

    /**
     * Calls {@code callable} with {@code nargs} positional arguments at {@code args} (an array of
     * object pointers whose slot -1 may be overwritten, PY_VECTORCALL_ARGUMENTS_OFFSET) and
     * optional keyword names: a new reference.
     */
    public static long newVectorcall(long callable, long args, long nargs, long kwnames) {
        long nargsf = nargs | Abi.VECTORCALL_ARGUMENTS_OFFSET;
        if (Abi.hasVectorcall()) {
            return checkResult(Native.call(Fn311.VECTORCALL, callable, args, nargsf, kwnames));
        }
        if (kwnames == 0) {
            return checkResult(Native.call(Fn310.VECTORCALL_DICT, callable, args, nargsf, 0));
        }
        // 3.10 has no exported PyObject_Vectorcall: pass keywords as a dict instead.
        long kwargs = checkNew(Symbol.PyDict_New.call());
        try {
            long nkw = Symbol.PyTuple_Size.call(kwnames);
            MemorySegment values = MemorySegment.ofAddress(args).reinterpret((nargs + nkw) * 8);
            for (long i = 0; i < nkw; i++) {
                long key = Symbol.PyTuple_GetItem.call(kwnames, i);
                checkInt(Symbol.PyDict_SetItem.call(kwargs, key, values.getAtIndex(JAVA_LONG, nargs + i)));
            }
            return checkResult(Native.call(Fn310.VECTORCALL_DICT, callable, args, nargs, kwargs));
        } finally {
            decRef(kwargs);
        }
    }

    /** {@code args[0].name(*args[1:nargs])}: a new reference; {@code name} must be a str. */
    public static long newVectorcallMethod(long name, long args, long nargs) {
        long nargsf = nargs | Abi.VECTORCALL_ARGUMENTS_OFFSET;
        return checkResult(Native.call(Fn.VECTORCALL_METHOD, name, args, nargsf, 0));
    }

    /** {@code PyObject_CallNoArgs}: {@code callable()}, a new reference or 0 with the error set. */
    public static long callNoArgsOrZero(long callable) {
        return Native.call(FnNoArgs.CALL_NO_ARGS, callable);
    }

    /** {@code PyObject_CallOneArg} (3.11+): {@code callable(arg)}, a new reference or 0 with the error set. */
    public static long callOneArgOrZero311(long callable, long arg) {
        return Native.call(Fn311.CALL_ONE_ARG, callable, arg);
    }

    /** {@code callable(arg)}: a new reference, or 0 with the Python error left pending. */
    public static long newCallOneArgOrZero(long callable, long arg) {
        long args = checkNew(Symbol.PyTuple_New.call(1));
        incRef(arg);
        Symbol.PyTuple_SetItem.call(args, 0, arg); // OWNERSHIP: steals the reference just taken
        try {
            return Symbol.PyObject_CallObject.call(callable, args);
        } finally {
            decRef(args);
        }
    }

    /** {@code callable(*args, **kwargs)} with a tuple and an optional dict: a new reference. */
    public static long newCall(long callable, long argsTuple, long kwargsDict) {
        return checkNew(Symbol.PyObject_Call.call(callable, argsTuple, kwargsDict));
    }

    public static long checkResult(long result) {
        if (result == 0) {
            throw PendingError.fetch();
        }
        return result;
    }

    // --- code ---

    /** {@code compile(source, filename, mode)}: a new reference. Mode is Py_eval_input, Py_file_input... */
    public static long newCompile(String source, String fileName, int mode) {
        if (source.indexOf('\0') >= 0) {
            throw PendingError.valueError("source code string cannot contain null bytes");
        }
        checkNoNul(fileName, "file name");
        try (Arena arena = Arena.ofConfined()) {
            return checkNew(Native.call(Fn.COMPILE, arena.allocateFrom(source).address(),
                    arena.allocateFrom(fileName).address(), mode));
        }
    }

    /** Strings passed to C as NUL-terminated text must not contain NUL themselves. */
    public static void checkNoNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw PendingError.valueError("embedded null character in " + what);
        }
    }

    /** {@code eval(code, globals, locals)} of a code object: a new reference. */
    public static long newEvalCode(long code, long globals, long locals) {
        return checkNew(Native.call(Fn.EVAL, code, globals, locals));
    }

    /** Executes a code object as module {@code name} (registered in sys.modules): a new reference. */
    public static long newExecCodeModule(String name, long code, String fileName) {
        checkNoNul(name, "module name");
        checkNoNul(fileName, "file name");
        try (Arena arena = Arena.ofConfined()) {
            return checkNew(Native.call(Fn.EXEC_MODULE, arena.allocateFrom(name).address(), code,
                    arena.allocateFrom(fileName).address()));
        }
    }

    /** {@code import name}, giving the (sub)module itself: a new reference. */
    public static long newImportModule(String name) {
        checkNoNul(name, "module name");
        try (Arena arena = Arena.ofConfined()) {
            return checkNew(Native.call(Fn.IMPORT_MODULE, arena.allocateFrom(name).address()));
        }
    }

    // --- objects of built-in types ---

    /** A new reference to a new {@code dict}. */
    public static long newDict() {
        return checkNew(Native.call(Fn.NEW_DICT));
    }

    /** A new reference to a new tuple of {@code n} NULL slots, to be filled with {@link #tupleSetStolen}. */
    public static long newTuple(long n) {
        return checkNew(Symbol.PyTuple_New.call(n));
    }

    /** Puts {@code stolen} into slot {@code i} of a fresh tuple; the reference now belongs to the tuple. */
    public static void tupleSetStolen(long tuple, long i, long stolen) {
        checkInt(Symbol.PyTuple_SetItem.call(tuple, i, stolen));
    }

    /** The tuple's item {@code i}: a borrowed reference. */
    public static long borrowedTupleItem(long tuple, long i) {
        return checkNew(Symbol.PyTuple_GetItem.call(tuple, i));
    }

    /** {@code len(tuple)}. */
    public static long tupleSize(long tuple) {
        return checkSize(Symbol.PyTuple_Size.call(tuple));
    }

    /** {@code d[key] = value} for a dict. */
    public static void dictSetItem(long dict, long key, long value) {
        checkInt(Symbol.PyDict_SetItem.call(dict, key, value));
    }

    /** An interned str for {@code s} (any string, NULs and lone surrogates included): a new reference. */
    public static long newInternedStr(String s) {
        long str = Strings.newStr(s);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(ADDRESS);
            slot.set(JAVA_LONG, 0, str);
            // OWNERSHIP: InternInPlace may replace the pointer, moving our reference to the interned copy.
            Symbol.PyUnicode_InternInPlace.call(slot.address());
            return slot.get(JAVA_LONG, 0);
        }
    }

    /** Whether {@code o} is None. */
    public static boolean isNone(long o) {
        return o == Abi.none();
    }

    /** Whether {@code o} is a str (or subclass). */
    public static boolean isStr(long o) {
        return (typeFlags(borrowedType(o)) & Abi.TPFLAGS_UNICODE_SUBCLASS) != 0;
    }

    // --- added for conversions ---

    /** {@code sys.modules.get(name)} without importing: a new reference, or 0 when not imported yet. */
    public static long newImportedModuleOrZero(long nameStr) {
        long m = Symbol.PyImport_GetModule.call(nameStr);
        if (m == 0 && errorPending()) {
            throw PendingError.fetch();
        }
        return m;
    }

    /** {@code issubclass(a, b)} for two types, by their MRO (no {@code __subclasscheck__}); cannot fail. */
    public static boolean isSubtype(long a, long b) {
        return a == b || Symbol.PyType_IsSubtype.call(a, b) != 0;
    }

    /** A new reference to a new list of {@code n} NULL slots, each to be filled with {@code PyList_SetItem}. */
    public static long newListOfSize(long n) {
        return checkNew(Symbol.PyList_New.call(n));
    }

    /** {@code o[i]} of a sequence: a new reference. */
    public static long newSequenceItem(long o, long i) {
        return checkNew(Symbol.PySequence_GetItem.call(o, i));
    }

    /** {@code list(mapping.items())}: a new reference. */
    public static long newMappingItems(long o) {
        return checkNew(Symbol.PyMapping_Items.call(o));
    }

    /** {@code format(o, spec)}: a new reference. */
    public static long newFormat(long o, long spec) {
        return checkNew(Symbol.PyObject_Format.call(o, spec));
    }

    /** {@code tuple(iterable)}: a new reference. */
    public static long newTupleOf(long iterable) {
        return checkNew(Symbol.PySequence_Tuple.call(iterable));
    }

    /** Whether {@code iter(o)} works (the error it raises, if any, is cleared). */
    public static boolean isIterable(long o) {
        long it = Symbol.PyObject_GetIter.call(o);
        if (it == 0) {
            Symbol.PyErr_Clear.call();
            return false;
        }
        decRef(it);
        return true;
    }

    /** {@code setattr(o, name, value)}, false (the error cleared) where it fails. */
    public static boolean trySetAttr(long o, long name, long value) {
        if (Symbol.PyObject_SetAttr.call(o, name, value) != 0) {
            Symbol.PyErr_Clear.call();
            return false;
        }
        return true;
    }

    /** A new module object named by the NUL-terminated {@code name}: a new reference. */
    public static long newModule(MemorySegment name) {
        return checkNew(Symbol.PyModule_New.call(name.address()));
    }

    /**
     * {@code PyCFunction_NewEx(def, self, module)}: a built-in function over the method definition
     * at {@code def} (which must outlive it); a new reference.
     */
    public static long newCFunction(MemorySegment def, long self, long moduleName) {
        return checkNew(Symbol.PyCFunction_NewEx.call(def.address(), self, moduleName));
    }

    /** {@code sys.modules[name]}, made empty when absent ({@code PyImport_AddModule}): borrowed. */
    public static long borrowedAddedModule(MemorySegment name) {
        return checkNew(Symbol.PyImport_AddModule.call(name.address()));
    }

    /** The module's {@code __dict__}: borrowed from the module. */
    public static long borrowedModuleDict(long module) {
        return checkNew(Symbol.PyModule_GetDict.call(module));
    }

    /** {@code weakref.ref(o)}: a new reference. */
    public static long newWeakRef(long o) {
        return checkNew(Symbol.PyWeakref_NewRef.call(o, 0));
    }

    /** The weak reference's object, or None once it died: borrowed ({@code PyWeakref_GetObject}, exported up to 3.14). */
    public static long borrowedWeakRefTarget(long ref) {
        return checkNew(Symbol.PyWeakref_GetObject.call(ref));
    }

    /**
     * A {@code PyMethodDef} in {@code arena} (which must outlive the function made from it): name,
     * C function, flags and docstring (NUL-terminated strings; {@code doc} may be NULL).
     */
    public static MemorySegment newMethodDef(java.lang.foreign.Arena arena, MemorySegment name, MemorySegment function,
            int flags, MemorySegment doc) {
        MemorySegment def = dev.pyjama.ffi.PyMethodDef.allocate(arena);
        dev.pyjama.ffi.PyMethodDef.ml_name(def, name);
        dev.pyjama.ffi.PyMethodDef.ml_meth(def, function);
        dev.pyjama.ffi.PyMethodDef.ml_flags(def, flags);
        dev.pyjama.ffi.PyMethodDef.ml_doc(def, doc);
        return def;
    }
}
