package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code Exception}: the base of all built-in exceptions that are
 * not system-exiting, and of user-defined exceptions.
 */
public sealed class PyException extends PyBaseException
        permits PyArithmeticError, PyAssertionError, PyAttributeError, PyBufferError, PyEOFError,
        PyExceptionGroup, PyImportError, PyLookupError, PyMemoryError, PyNameError, PyOSError,
        PyReferenceError, PyRuntimeError, PyStopAsyncIteration, PyStopIteration, PySyntaxError,
        PySystemError, PyTypeError, PyValueError, PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code Exception(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyException(String message) {
        super(message);
    }
}
