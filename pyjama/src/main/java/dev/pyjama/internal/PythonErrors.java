package dev.pyjama.internal;

import dev.pyjama.internal.runtime.Interpreter;
import dev.pyjama.internal.runtime.Interrupts;
import dev.pyjama.internal.runtime.Upcalls;

import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Scalars;
import dev.pyjama.internal.abi.Errors;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.PendingError;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.runtime.events.Jfr;
import dev.pyjama.internal.runtime.events.PythonExceptionEvent;
import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PySystemError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the pending Python error into a Java exception, at the boundary and while still attached:
 * the Java class of the nearest built-in base, Python's message, the traceback's frames above the
 * Java frames, the cause chain ({@code __cause__}, else {@code __context__}), and the exception
 * object itself as an unbound {@code Py}. The error indicator is cleared.
 */
public final class PythonErrors {

    /**
     * Makes this the translation the abi layer's checked calls use; the public package calls it
     * before anything can start the interpreter (the runtime below knows no exception classes).
     */
    public static void install() {
        PendingError.install(TRANSLATOR);
    }

    private static final PendingError.Translator TRANSLATOR = new PendingError.Translator() {
        @Override
        public RuntimeException fetch() {
            return PythonErrors.fetch();
        }

        @Override
        public RuntimeException valueError(String message) {
            return newValueError(message);
        }
    };

    /** How many chained exceptions are converted before the chain is cut (cycles are cut too). */
    private static final int MAX_CHAIN = 16;

    private PythonErrors() {}

    /** Takes the pending error (clearing it) and returns it as a Java exception to throw. */
    public static RuntimeException fetch() {
        long value = Errors.newTakenOrZero();
        if (value == 0) {
            return new PySystemError("error return without exception set");
        }
        Throwable t = translate(value, new HashSet<>(), 0);
        if (t instanceof PyBaseException p && Jfr.pythonException()) {
            // A Java throwable that went through Python and came back as itself is not recorded.
            PythonExceptionEvent.emit(p.pythonTypeName(), p.pythonMessage(), p.getClass());
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw sneaky(t); // a checked exception thrown by a Java function: the caller gets the original
    }

    /**
     * Converts an exception object (borrowed), as {@link #fetch} converts the pending error, without
     * touching the error indicator: for exceptions that arrive as values (an asyncio task's). The
     * result is a pyjama exception, or the Java throwable itself when the exception carried one.
     */
    public static Throwable toJava(long exception) {
        CApi.incRef(exception);
        return translate(exception, new HashSet<>(), 0);
    }

    /** A ValueError made in Java, for checks the runtime does before calling into Python. */
    public static PyValueError newValueError(String message) {
        return new PyValueError(message);
    }

    /** A TypeError made in Java, for conversions that cannot apply. */
    public static PyTypeError newTypeError(String message) {
        return new PyTypeError(message);
    }

    /** Converts an exception object; steals {@code value}. */
    private static Throwable translate(long value, Set<Long> seen, int depth) {
        seen.add(value);
        Upcalls.Carried carried = JavaExceptions.carried(value);
        if (carried != null && (!(carried.throwable() instanceof PyBaseException)
                || carried.throwable() instanceof dev.pyjama.exceptions.PythonInterruptedException)) {
            // A Java exception that went through Python comes back as itself (so does an interrupt
            // that stopped Python code called from a Java function).
            CApi.decRef(value);
            return carried.throwable();
        }
        long type = CApi.borrowedType(value);
        String builtin = nearestBuiltin(type);
        String exact = Interpreter.builtinExceptionName(type);
        String typeName = exact != null ? exact : qualifiedName(type);
        String message = Strings.strOf(value);
        PyBaseException e = null;
        if (exact != null && exact.equals("KeyboardInterrupt") && depth == 0) {
            e = Interrupts.consume();
        }
        if (e == null) {
            e = BuiltinExceptions.create(builtin, message);
        }
        List<StackTraceElement> frames = pythonFrames(value);
        if (carried != null) {
            // Raised through Java code called from Python: its Java frames (with the Python frames
            // inside it) go below the outer Python frames, so the trace shows every layer.
            List<StackTraceElement> inner = innerFrames(carried.throwable());
            int outer = Math.max(0, frames.size() - carried.pythonFramesBefore());
            List<StackTraceElement> mixed = new ArrayList<>(inner);
            mixed.addAll(frames.subList(frames.size() - outer, frames.size())); // frames are innermost first
            frames = mixed;
        }
        StackTraceElement[] java = e.getStackTrace();
        int skip = 0;
        while (skip < java.length && java[skip].getClassName().startsWith("dev.pyjama.internal.")) {
            skip++;
        }
        frames.addAll(Arrays.asList(java).subList(skip, java.length));
        e.setStackTrace(frames.toArray(StackTraceElement[]::new));
        if (depth < MAX_CHAIN) {
            long cause = Errors.newCauseOrZero(value);
            if (cause == 0 && !suppressesContext(value)) {
                cause = Errors.newContextOrZero(value);
            }
            if (cause != 0) {
                if (seen.contains(cause)) {
                    CApi.decRef(cause);
                } else {
                    e.initCause(translate(cause, seen, depth + 1));
                }
            }
        }
        ApiAccess.exceptions().fill(e, typeName, ApiAccess.handles().adopt(value));
        return e;
    }

    /** The frames of a throwable above the upcall that brought Python into Java. */
    private static List<StackTraceElement> innerFrames(Throwable t) {
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().equals(Upcalls.class.getName())) {
                break;
            }
            out.add(f);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private static boolean suppressesContext(long value) {
        long flag = CApi.newGetAttrOrZero(value, Names.get("__suppress_context__"));
        if (flag == 0) {
            return false;
        }
        try {
            return CApi.isTrue(flag);
        } finally {
            CApi.decRef(flag);
        }
    }

    /** The name of the first built-in exception class in the type's MRO ("BaseException" at worst). */
    private static String nearestBuiltin(long type) {
        long mro = CApi.newGetAttrOrZero(type, Names.get("__mro__"));
        if (mro == 0) {
            return "BaseException";
        }
        try {
            long n = CApi.tupleSize(mro);
            for (long i = 0; i < n; i++) {
                String name = Interpreter.builtinExceptionName(CApi.borrowedTupleItem(mro, i));
                // Private built-ins (3.13's _IncompleteInputError) have no Java class: keep climbing.
                if (name != null && BuiltinExceptions.create(name, null) != null) {
                    return name;
                }
            }
            return "BaseException";
        } finally {
            CApi.decRef(mro);
        }
    }

    private static String qualifiedName(long type) {
        String module = attrString(type, "__module__");
        String name = attrString(type, "__qualname__");
        if (name == null) {
            name = attrString(type, "__name__");
        }
        return module == null || module.equals("builtins") ? name : module + "." + name;
    }

    /** The traceback's frames, innermost first, as Java stack trace elements. */
    private static List<StackTraceElement> pythonFrames(long value) {
        List<StackTraceElement> frames = new ArrayList<>();
        long tb = Errors.newTracebackOrZero(value);
        int guard = 0;
        while (tb != 0 && guard++ < 10_000) {
            try {
                frames.add(frameOf(tb));
            } catch (RuntimeException broken) {
                break; // a traceback that cannot be read does not hide the exception itself
            }
            long next = CApi.newGetAttrOrZero(tb, Names.get("tb_next"));
            CApi.decRef(tb);
            tb = next;
            if (tb != 0 && CApi.isNone(tb)) {
                CApi.decRef(tb);
                tb = 0;
            }
        }
        if (tb != 0) {
            CApi.decRef(tb);
        }
        List<StackTraceElement> innermostFirst = new ArrayList<>(frames.size());
        for (int i = frames.size() - 1; i >= 0; i--) {
            innermostFirst.add(frames.get(i));
        }
        return innermostFirst;
    }

    private static StackTraceElement frameOf(long tb) {
        long frame = CApi.newGetAttr(tb, Names.get("tb_frame"));
        try {
            int line = (int) attrLong(tb, "tb_lineno");
            long code = CApi.newGetAttr(frame, Names.get("f_code"));
            try {
                String file = attrString(code, "co_filename");
                String function = Abi.minor() >= 11 ? attrString(code, "co_qualname") : attrString(code, "co_name");
                String module = null;
                long globals = CApi.newGetAttrOrZero(frame, Names.get("f_globals"));
                if (globals != 0) {
                    long name = Containers.newDictItemOrZeroErrorPending(globals, Names.get("__name__"));
                    if (name != 0) {
                        if (CApi.isStr(name)) {
                            module = Strings.toJava(name);
                        }
                        CApi.decRef(name);
                    }
                    if (CApi.errorPending()) {
                        Errors.clear();
                    }
                    CApi.decRef(globals);
                }
                return new StackTraceElement(module == null ? "<python>" : module, function == null ? "?" : function,
                        file, line);
            } finally {
                CApi.decRef(code);
            }
        } finally {
            CApi.decRef(frame);
        }
    }

    private static String attrString(long o, String name) {
        long a = CApi.newGetAttrOrZero(o, Names.get(name));
        if (a == 0) {
            return null;
        }
        try {
            return CApi.isStr(a) ? Strings.toJava(a) : Strings.strOf(a);
        } finally {
            CApi.decRef(a);
        }
    }

    private static long attrLong(long o, String name) {
        long a = CApi.newGetAttr(o, Names.get(name));
        try {
            long v = Scalars.longValue(a);
            return v;
        } finally {
            CApi.decRef(a);
        }
    }
}
