package dev.pyjama.internal;

import dev.pyjama.Py;
import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.exceptions.PyBaseException;
import java.lang.invoke.MethodHandles;

/**
 * What the public packages let the runtime do without public setters or constructors: fill in
 * a Python-raised exception, and wrap an owned reference as a {@link Py}. Each public class
 * installs its part from its static initialiser (the JDK's "shared secrets" pattern), so nothing
 * here is visible outside the module.
 */
public final class ApiAccess {

    /** Granted by {@link PyBaseException}. */
    public interface Exceptions {
        /** Records the Python type name and the exception object on a freshly created exception. */
        void fill(PyBaseException e, String typeName, Py<PyObject> value);
    }

    /** Granted by {@link Py}. */
    public interface Handles {
        /** Wraps a new reference, whose ownership passes to the returned {@code Py}. */
        Py<PyObject> adopt(long newRef);

        /** Wraps a new reference as a handle owned by the calling thread's innermost scope. */
        PyObject bindNew(long newRef);

        /**
         * The object a {@code PyObject} or {@code Py} refers to (borrowed), or 0 when {@code value} is
         * not a handle; throws when the handle is closed or belongs to another thread.
         */
        long borrowedAddress(Object value);

        /** Runs a user converter towards Python; returns a new reference to its result. */
        long toPythonVia(PyConverter<?> converter, Object value);

        /** Runs a user converter towards Java on the object at {@code borrowed}. */
        Object toJavaVia(PyConverter<?> converter, long borrowed);
    }

    private static volatile Exceptions exceptions;
    private static volatile Handles handles;

    private ApiAccess() {}

    /** Called once, by {@link PyBaseException}'s static initialiser. */
    public static void install(Exceptions e) {
        exceptions = e;
    }

    /** Called once, by {@link Py}'s static initialiser. */
    public static void install(Handles h) {
        handles = h;
    }

    static Exceptions exceptions() {
        if (exceptions == null) {
            initialize(PyBaseException.class);
        }
        return exceptions;
    }

    public static Handles handles() {
        if (handles == null) {
            initialize(Py.class);
        }
        return handles;
    }

    private static void initialize(Class<?> c) {
        try {
            MethodHandles.lookup().ensureInitialized(c);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
