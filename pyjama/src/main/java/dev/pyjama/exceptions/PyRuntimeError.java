package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code RuntimeError}: raised when an error does not fall into any
 * other category.
 */
public sealed class PyRuntimeError extends PyException
        permits PyNotImplementedError, PyPythonFinalizationError, PyRecursionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code RuntimeError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyRuntimeError(String message) {
        super(message);
    }
}
