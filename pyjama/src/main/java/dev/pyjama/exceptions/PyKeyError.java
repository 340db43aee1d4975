package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code KeyError}: raised when a mapping key is not found among the
 * existing keys.
 */
public final class PyKeyError extends PyLookupError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code KeyError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyKeyError(String message) {
        super(message);
    }
}
