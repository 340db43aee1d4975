package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code Warning}: the base of all warning categories; raised as an
 * exception when a warning is turned into an error.
 */
public sealed class PyWarning extends PyException
        permits PyBytesWarning, PyDeprecationWarning, PyEncodingWarning, PyFutureWarning,
        PyImportWarning, PyPendingDeprecationWarning, PyResourceWarning, PyRuntimeWarning,
        PySyntaxWarning, PyUnicodeWarning, PyUserWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code Warning(message)} when it is thrown from Java
     * code called by Python.
     *
     * @param message the message; may be null
     */
    public PyWarning(String message) {
        super(message);
    }
}
