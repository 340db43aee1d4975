package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code UnicodeError}: the base of the errors raised for Unicode
 * encoding or decoding failures.
 */
public sealed class PyUnicodeError extends PyValueError
        permits PyUnicodeDecodeError, PyUnicodeEncodeError, PyUnicodeTranslateError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code UnicodeError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyUnicodeError(String message) {
        super(message);
    }
}
