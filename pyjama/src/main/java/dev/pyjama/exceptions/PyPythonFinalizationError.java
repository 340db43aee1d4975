package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code PythonFinalizationError}: raised when an operation is
 * blocked during interpreter shutdown (finalization).
 *
 * <p>Exists in Python 3.13 and later.
 */
public final class PyPythonFinalizationError extends PyRuntimeError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code PythonFinalizationError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyPythonFinalizationError(String message) {
        super(message);
    }
}
