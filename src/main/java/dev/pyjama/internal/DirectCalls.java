package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The downcalls bound by hand rather than through the generated {@code dev.pyjama.ffi}: libc's
 * {@code dlopen} and the stack-size query (in word form, see {@link WordCalls}), the libpython
 * symbols outside the limited API (each used only after a version check, see {@link Interpreter}),
 * and the hot paths, over long carriers and critical where that is safe.
 *
 * <p>libpython symbols are resolved lazily, one holder class each, so a symbol that an older
 * CPython lacks costs nothing until (and unless) it is used.
 */
final class DirectCalls {

    private static final Linker LINKER = Linker.nativeLinker();

    static final int RTLD_NOW = 0x002;
    static final int RTLD_GLOBAL = 0x100;

    private DirectCalls() {}

    private static MethodHandle python(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(WordCalls.python(name), fd, options);
    }

    /**
     * Opens a shared library with {@code dlopen(path, RTLD_NOW | RTLD_GLOBAL)}, so that C extension
     * modules loaded later find libpython's symbols.
     *
     * @return null on success, otherwise {@code dlerror()}'s message
     */
    static String dlopenGlobal(String path) {
        try (Arena arena = Arena.ofConfined()) {
            long handle = WordCalls.call(WordCalls.libc("dlopen"), arena.allocateFrom(path).address(),
                    RTLD_NOW | RTLD_GLOBAL);
            if (handle != 0) {
                return null;
            }
            long error = WordCalls.call(WordCalls.libc("dlerror"));
            return error == 0 ? "dlopen failed" : MemorySegment.ofAddress(error).reinterpret(4096).getString(0);
        }
    }

    // --- outside the limited API; exported by every CPython 3.10+ ---

    private static final class VectorcallDict {
        static final MethodHandle MH = python("PyObject_VectorcallDict",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    /** {@code PyObject_VectorcallDict}: the vectorcall entry point of 3.10, where PyObject_Vectorcall is inline. */
    static long vectorcallDict(long callable, long args, long nargsf, long kwdict) {
        try {
            return (long) VectorcallDict.MH.invokeExact(callable, args, nargsf, kwdict);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    // --- thread states: which one is attached on this OS thread, and freeing those of ended threads ---
    // (Not PyGILState_Check: once any subinterpreter exists it answers 1 on every thread.)

    private static final class CurrentState {
        // Reads one variable: never blocks, runs no Python code.
        static final MethodHandle MH = LINKER.downcallHandle(currentStateFunction(), FunctionDescriptor.of(JAVA_LONG),
                Linker.Option.critical(false));
    }

    /** {@code PyThreadState_GetUnchecked} (exported from 3.13), or {@code _PyThreadState_UncheckedGet} (3.10 to 3.12). */
    private static MemorySegment currentStateFunction() {
        var lookup = java.lang.foreign.SymbolLookup.loaderLookup();
        var found = lookup.find("PyThreadState_GetUnchecked");
        return found.isPresent() ? found.get() : WordCalls.python("_PyThreadState_UncheckedGet");
    }

    /**
     * The current thread state without the fatal error of {@code PyThreadState_Get} when there is
     * none. What "current" means depends on the version: from 3.12 a C thread-local, the state
     * attached on the calling OS thread (0 when it is detached); on 3.10 and 3.11
     * {@code _PyRuntime.gilstate.tstate_current}, the state of whichever thread holds the GIL.
     * Either way, it equals a state of the calling thread exactly when that state holds the GIL
     * here (see {@link ThreadAttachment#attachedHere}).
     */
    static long currentThreadState() {
        try {
            return (long) CurrentState.MH.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static final class StateInterpreter {
        // Both read a field or a static: never block, run no Python code.
        static final MethodHandle OF = python("PyThreadState_GetInterpreter", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG),
                Linker.Option.critical(false));
        static final MethodHandle MAIN = python("PyInterpreterState_Main", FunctionDescriptor.of(JAVA_LONG),
                Linker.Option.critical(false));
    }

    /** Whether {@code tstate} belongs to the main interpreter ({@code PyThreadState_GetInterpreter}, {@code PyInterpreterState_Main}). */
    static boolean ofMainInterpreter(long tstate) {
        try {
            return (long) StateInterpreter.OF.invokeExact(tstate) == (long) StateInterpreter.MAIN.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The calls that free the thread states of ended threads (see {@link EndedThreads}), in word
     * form: rare, so one shape each arity is enough; none is critical (clearing a state releases
     * the objects it holds, which may run {@code __del__}; the others take locks or the GIL).
     */
    static final class ThreadStates {
        static final MemorySegment NEW = WordCalls.python("PyThreadState_New");
        static final MemorySegment INTERPRETER = WordCalls.python("PyThreadState_GetInterpreter");
        static final MemorySegment SWAP = WordCalls.python("PyThreadState_Swap");
        static final MemorySegment CLEAR = WordCalls.python("PyThreadState_Clear");
        static final MemorySegment DELETE = WordCalls.python("PyThreadState_Delete");
        static final MemorySegment DELETE_CURRENT = WordCalls.python("PyThreadState_DeleteCurrent");
        static final MemorySegment RESTORE = WordCalls.python("PyEval_RestoreThread");

        private ThreadStates() {}
    }

    private static final class CriticalSection {
        static final MethodHandle BEGIN = python("PyCriticalSection_Begin",
                FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG));
        static final MethodHandle END = python("PyCriticalSection_End", FunctionDescriptor.ofVoid(JAVA_LONG));
    }

    /** The size of a {@code PyCriticalSection} (two pointers), for callers that allocate one. */
    static final long CRITICAL_SECTION_SIZE = 16;

    /**
     * {@code PyCriticalSection_Begin(section, op)}: on a free-threaded build, locks {@code op}'s
     * per-object mutex (released if the thread detaches, re-taken when it attaches again). Exported
     * from 3.13; callers use it only on free-threaded builds, where it is required.
     */
    static void criticalSectionBegin(long section, long op) {
        try {
            CriticalSection.BEGIN.invokeExact(section, op);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code PyCriticalSection_End(section)}. */
    static void criticalSectionEnd(long section) {
        try {
            CriticalSection.END.invokeExact(section);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The size in bytes of the calling OS thread's stack ({@code pthread_getattr_np}, glibc), or -1
     * when it cannot be told.
     */
    static long currentThreadStackSize() {
        try (Arena arena = Arena.ofConfined()) {
            // pthread_attr_t is 56 bytes on x86_64 glibc, 64 on aarch64; the size follows it.
            MemorySegment memory = arena.allocate(264, 16);
            long attr = memory.address();
            long size = attr + 256;
            long self = WordCalls.call(WordCalls.libc("pthread_self"));
            if ((int) WordCalls.call(WordCalls.libc("pthread_getattr_np"), self, attr) != 0) {
                return -1;
            }
            try {
                if ((int) WordCalls.call(WordCalls.libc("pthread_attr_getstacksize"), attr, size) != 0) {
                    return -1;
                }
                return memory.get(JAVA_LONG, 256);
            } finally {
                WordCalls.call(WordCalls.libc("pthread_attr_destroy"), attr);
            }
        } catch (UnsatisfiedLinkError notGlibc) {
            return -1; // the caller leaves CPython's defaults alone
        }
    }

    // --- hot paths: static final handles over long carriers (no MemorySegment per call) ---

    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /**
     * Downcalls on the hottest paths, each in a holder class of its own so that it is linked (a
     * costly step at start-up) only when first used. {@code critical(false)} only where the call can
     * neither block, run Python code ({@code __del__}, {@code __index__}, {@code __float__}) nor call
     * back into Java: creating an int or float, reading an exact int or float, reading type flags, an
     * incref. Py_DecRef (may run {@code __del__}), the calls and attribute reads run Python code and
     * use ordinary downcalls.
     */
    private static final class LongFrom {
        static final MethodHandle MH = python("PyLong_FromLongLong", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), CRITICAL);
    }

    private static final class LongAs {
        static final MethodHandle MH = python("PyLong_AsLongLong", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), CRITICAL);
    }

    private static final class FloatFrom {
        static final MethodHandle MH = python("PyFloat_FromDouble",
                FunctionDescriptor.of(JAVA_LONG, java.lang.foreign.ValueLayout.JAVA_DOUBLE), CRITICAL);
    }

    private static final class FloatAs {
        static final MethodHandle MH = python("PyFloat_AsDouble",
                FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_DOUBLE, JAVA_LONG), CRITICAL);
    }

    private static final class TypeFlags {
        static final MethodHandle MH = python("PyType_GetFlags", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), CRITICAL);
    }

    private static final class Incref {
        static final MethodHandle MH = python("Py_IncRef", FunctionDescriptor.ofVoid(JAVA_LONG), CRITICAL);
    }

    private static final class ErrOccurred {
        static final MethodHandle MH = python("PyErr_Occurred", FunctionDescriptor.of(JAVA_LONG), CRITICAL);
    }

    // The same call for the last reference to an exact int, float or str: their deallocators only
    // free memory (no __del__, no weak references, no Python code), so it may be critical.
    private static final class DecrefPlain {
        static final MethodHandle MH = python("Py_DecRef", FunctionDescriptor.ofVoid(JAVA_LONG), CRITICAL);
    }

    // Creating a str from UTF-8 and reading a str's (cached) UTF-8 run no Python code.
    private static final class StrFromUtf8 {
        static final MethodHandle MH = python("PyUnicode_FromStringAndSize",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), CRITICAL);
    }

    private static final class StrAsUtf8 {
        static final MethodHandle MH = python("PyUnicode_AsUTF8AndSize",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), CRITICAL);
    }

    private static final class Getattr {
        static final MethodHandle MH = python("PyObject_GetAttr", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    private static final class VectorcallMethod {
        static final MethodHandle MH = python("PyObject_VectorcallMethod",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    private static final class CallNoArgs {
        static final MethodHandle MH = python("PyObject_CallNoArgs", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    }

    /**
     * {@code PyObject_CallNoArgs}: a new reference, or 0 with the error set. (Not a vectorcall of
     * NULL with {@code PY_VECTORCALL_ARGUMENTS_OFFSET}: that flag lets a bound method write its
     * self into the slot before the arguments, which NULL does not have.)
     */
    static long callNoArgs(long callable) {
        try {
            return (long) CallNoArgs.MH.invokeExact(callable);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Exported from 3.11 only, as is {@code PyObject_Vectorcall}; bound on first use, after the version check. */
    private static final class CallOneArg {
        static final MethodHandle MH = python("PyObject_CallOneArg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    /** {@code PyObject_CallOneArg}: a new reference, or 0 with the error set. */
    static long callOneArg(long callable, long arg) {
        try {
            return (long) CallOneArg.MH.invokeExact(callable, arg);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Exported from 3.11 only; bound on first use, after the version check. */
    private static final class HotVectorcall {
        static final MethodHandle MH = python("PyObject_Vectorcall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    static long longFrom(long v) {
        try {
            return (long) LongFrom.MH.invokeExact(v);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code PyLong_AsLongLong} of an object known to be an int (no {@code __index__} call). */
    static long longAs(long intObject) {
        try {
            return (long) LongAs.MH.invokeExact(intObject);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long floatFrom(double v) {
        try {
            return (long) FloatFrom.MH.invokeExact(v);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code PyFloat_AsDouble} of an object known to be a float (no {@code __float__} call). */
    static double floatAs(long floatObject) {
        try {
            return (double) FloatAs.MH.invokeExact(floatObject);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long typeFlags(long type) {
        try {
            return (long) TypeFlags.MH.invokeExact(type);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void incRef(long o) {
        try {
            Incref.MH.invokeExact(o);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static final class Decref {
        static final MemorySegment FN = WordCalls.python("Py_DecRef");
    }

    /** {@code Py_DecRef} as an ordinary downcall (it may run {@code __del__}), in word form. */
    static void decRef(long o) {
        WordCalls.call(Decref.FN, o);
    }

    /** {@code Py_DecRef} of an exact int, float or str, whose deallocation runs no Python code. */
    static void decRefPlain(long o) {
        try {
            DecrefPlain.MH.invokeExact(o);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static boolean errOccurred() {
        try {
            return (long) ErrOccurred.MH.invokeExact() != 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long getAttr(long o, long name) {
        try {
            return (long) Getattr.MH.invokeExact(o, name);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long vectorcall(long callable, long args, long nargsf, long kwnames) {
        try {
            return (long) HotVectorcall.MH.invokeExact(callable, args, nargsf, kwnames);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long vectorcallMethod(long name, long args, long nargsf, long kwnames) {
        try {
            return (long) VectorcallMethod.MH.invokeExact(name, args, nargsf, kwnames);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code PyUnicode_FromStringAndSize(utf8, n)}: a new reference or 0. */
    static long strFromUtf8(long utf8, long n) {
        try {
            return (long) StrFromUtf8.MH.invokeExact(utf8, n);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code PyUnicode_AsUTF8AndSize(str, sizeOut)}: the str's UTF-8 (owned by the str) or 0. */
    static long strAsUtf8(long str, long sizeOut) {
        try {
            return (long) StrAsUtf8.MH.invokeExact(str, sizeOut);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
