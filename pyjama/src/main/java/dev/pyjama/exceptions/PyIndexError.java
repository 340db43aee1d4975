package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code IndexError}: raised when a sequence subscript is out of
 * range.
 */
public final class PyIndexError extends PyLookupError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code IndexError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyIndexError(String message) {
        super(message);
    }
}
