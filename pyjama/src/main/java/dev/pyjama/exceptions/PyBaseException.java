package dev.pyjama.exceptions;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.internal.ApiAccess;
import java.util.Optional;

/**
 * Java form of Python's {@code BaseException}, the root of every Python exception.
 *
 * <p>Each built-in Python exception has a Java class of its own, in Python's hierarchy
 * ({@code PyKeyError extends PyLookupError extends PyException extends PyBaseException}), so
 * {@code catch (PyLookupError e)} catches a Python {@code KeyError}. An exception raised by a
 * Python class that is not built in ({@code class MyError(ValueError)}) arrives as the Java class
 * of its nearest built-in base ({@link PyValueError}); {@link #pythonTypeName()} still names the
 * real type and {@link #value()} holds the exception object itself.
 *
 * <p>{@link #getMessage()} reads as Python prints the exception
 * ({@code ValueError: invalid literal for int() with base 10: 'x'}); the Python traceback's
 * frames stand above the Java frames in {@link #getStackTrace()}. The exception holds no live
 * Python reference except through {@link #value()}, an unbound {@link Py}, so it can safely leave
 * the attach scope it was raised in.
 *
 * <p>Thrown from Java code that Python called (a Java callable), an instance made with
 * {@link #PyBaseException(String)} (or a subclass' constructor) is raised in Python as the
 * matching built-in exception with that message.
 */
public sealed class PyBaseException extends RuntimeException
        permits PyException, PyGeneratorExit, PyKeyboardInterrupt, PySystemExit, PyBaseExceptionGroup {

    private static final long serialVersionUID = 1L;

    static {
        ApiAccess.install(new ApiAccess.Exceptions() {
            @Override
            public void fill(PyBaseException e, String typeName, Py<PyObject> value) {
                e.typeName = typeName;
                e.value = value;
            }
        });
    }

    /** The real Python type name when the exception came from Python; null for one made in Java. */
    private String typeName;
    /** The Python exception object; not serialized (it lives in one interpreter). */
    private transient Py<PyObject> value;

    /**
     * Creates an exception to be thrown from Java; when it reaches Python it is raised as the
     * built-in exception this class stands for, with {@code message} as its argument.
     *
     * @param message the exception's message, as {@code str(exception)} shows it; may be null
     */
    public PyBaseException(String message) {
        super(message);
    }

    /**
     * The name of the Python exception's real type: {@code "ValueError"} for a built-in,
     * {@code "module.QualifiedName"} for any other class.
     *
     * @return the Python type name, never null
     */
    public String pythonTypeName() {
        return typeName != null ? typeName : builtinName();
    }

    /**
     * The message alone, as Python's {@code str(exception)} gives it, without the type name.
     *
     * @return the message, empty when the exception has none
     */
    public String pythonMessage() {
        String m = super.getMessage();
        return m == null ? "" : m;
    }

    /**
     * The Python exception object, when this exception came from Python.
     *
     * <p>The reference is owned by the returned {@link Py}; close it when done, or leave it to
     * the garbage collector.
     *
     * @return the exception object, or empty for an exception created in Java
     */
    public Optional<Py<PyObject>> value() {
        return Optional.ofNullable(value);
    }

    /**
     * The message as Python prints it: {@code "KeyError: 'x'"}, or the type name alone when
     * the message is empty.
     */
    @Override
    public String getMessage() {
        String m = pythonMessage();
        return m.isEmpty() ? pythonTypeName() : pythonTypeName() + ": " + m;
    }

    private String builtinName() {
        String simple = getClass().getSimpleName();
        return simple.startsWith("Py") ? simple.substring(2) : simple;
    }
}
