package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code LookupError}: the base of the errors raised when a key or
 * index used on a mapping or sequence is invalid.
 */
public sealed class PyLookupError extends PyException permits PyIndexError, PyKeyError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code LookupError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyLookupError(String message) {
        super(message);
    }
}
