package dev.pyjama.internal;

import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Errors;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.runtime.Interpreter;
import dev.pyjama.internal.runtime.SupportModule;
import dev.pyjama.internal.runtime.Upcalls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;

/**
 * Java exceptions crossing into Python: what a Java throwable becomes when it escapes a Java
 * function that Python called, or is thrown into a generator or context manager. A Java exception
 * becomes a {@code pyjama.JavaException} carrying the throwable (in a capsule, see
 * {@link Upcalls#newThrowableCapsuleOrZero}); when that Python exception reaches Java again, the
 * original throwable is what Java sees ({@link PythonErrors}). A {@code PyBaseException} thrown in
 * Java becomes the matching Python exception, the original object when it came from Python.
 */
public final class JavaExceptions {

    /** The attribute of a Python exception object that carries the Java throwable it stands for. */
    static final String CARRIER_ATTRIBUTE = "_pyjama_java";

    private JavaExceptions() {}

    /**
     * Sets the Python error for a Java throwable escaping into Python. The caller holds the GIL and
     * returns NULL (or -1) to Python right after.
     */
    public static void raise(Throwable t) {
        try {
            if (CApi.errorPending()) {
                Errors.clear();
            }
            long value = newExceptionFor(t);
            restore(value);
            CApi.decRef(value);
        } catch (Throwable failed) {
            // Converting failed (out of memory, broken interpreter state): still leave an error set.
            if (!CApi.errorPending()) {
                Errors.setString(Errors.runtimeErrorType(), Arena.global().allocateFrom("Java exception (details lost): " + t.getClass().getName()));
            }
        }
    }

    /**
     * A Python exception object standing for {@code t}, carrying it: a new reference. A
     * {@code PyBaseException} that came from Python gives its original object back.
     */
    public static long newExceptionFor(Throwable t) {
        if (t instanceof PyBaseException pe && pe.value().isPresent()) {
            long value = ApiAccess.handles().borrowedAddress(pe.value().get());
            CApi.incRef(value);
            carry(value, t, tracebackLength(value));
            return value;
        }
        long value = t instanceof PyBaseException pe ? newBuiltinException(pe) : newJavaException(t);
        carry(value, t, 0);
        return value;
    }

    /** Sets {@code value} (borrowed) as the pending exception, traceback included. */
    private static void restore(long value) {
        Errors.raiseStolen(CApi.newRef(value));
    }

    private static long newBuiltinException(PyBaseException pe) {
        String name = BuiltinExceptions.pythonName(pe.getClass());
        if (name == null) {
            name = pe.pythonTypeName(); // a Java-only subclass names the built-in it stands for
        }
        long type = CApi.newGetAttrOrZero(Interpreter.builtinsModule(), Names.get(name == null ? "Exception" : name));
        if (type == 0) {
            type = CApi.newGetAttr(Interpreter.builtinsModule(), Names.get("Exception"));
        }
        try {
            long message = Strings.newStr(pe.pythonMessage());
            try {
                long value = CApi.newCallOneArgOrZero(type, message);
                if (value != 0) {
                    return value;
                }
                // Types that need more than a message (UnicodeDecodeError, ExceptionGroup): their base.
                Errors.clear();
                long base = CApi.newGetAttr(type, Names.get("__base__"));
                try {
                    return CApi.checkResult(CApi.newCallOneArgOrZero(base, message));
                } finally {
                    CApi.decRef(base);
                }
            } finally {
                CApi.decRef(message);
            }
        } finally {
            CApi.decRef(type);
        }
    }

    private static long newJavaException(Throwable t) {
        long type = javaExceptionType();
        String text = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        StringWriter stack = new StringWriter();
        t.printStackTrace(new PrintWriter(stack));
        long value = Calls.call(type, new Object[] {text, t.getClass().getName(), stack.toString()}, null);
        if (Abi.minor() >= 11) {
            try {
                CApi.decRef(Calls.callMethod(value, Names.get("add_note"),
                        new Object[] {"Java stack trace:\n" + stack.toString().stripTrailing()}));
            } catch (RuntimeException noteFailed) {
                // The note is a convenience; the exception stands without it.
            }
        }
        return value;
    }

    private static volatile long javaExceptionType;

    /** {@code pyjama.JavaException} (borrowed; kept for the interpreter's life). */
    static long javaExceptionType() {
        long t = javaExceptionType;
        if (t == 0) {
            t = SupportModule.newAttr("JavaException");
            javaExceptionType = t;
        }
        return t;
    }

    /** Attaches {@code t} to the Python exception {@code value} (borrowed), to be found by {@link #carried}. */
    private static void carry(long value, Throwable t, int pythonFramesBefore) {
        long capsule = Upcalls.newThrowableCapsuleOrZero(new Upcalls.Carried(t, pythonFramesBefore));
        if (capsule == 0) {
            Errors.clear();
            return;
        }
        if (!CApi.trySetAttr(value, Names.get(CARRIER_ATTRIBUTE), capsule)) {
            Errors.clear(); // an exception object without a __dict__: Java's side is not kept
        }
        CApi.decRef(capsule);
    }

    /** The Java throwable carried by a Python exception object (borrowed), or null. */
    static Upcalls.Carried carried(long value) {
        long capsule = CApi.newGetAttrOrZero(value, Names.get(CARRIER_ATTRIBUTE));
        if (capsule == 0) {
            return null;
        }
        try {
            return Upcalls.carriedBy(capsule);
        } finally {
            CApi.decRef(capsule);
        }
    }

    /** The number of entries in the exception's traceback. */
    static int tracebackLength(long value) {
        int n = 0;
        long tb = Errors.newTracebackOrZero(value);
        while (tb != 0 && !CApi.isNone(tb)) {
            n++;
            long next = CApi.newGetAttrOrZero(tb, Names.get("tb_next"));
            CApi.decRef(tb);
            tb = next;
        }
        if (tb != 0) {
            CApi.decRef(tb);
        }
        return n;
    }
}
