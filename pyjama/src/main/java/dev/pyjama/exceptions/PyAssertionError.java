package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code AssertionError}: raised when an {@code assert} statement
 * fails.
 */
public final class PyAssertionError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code AssertionError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyAssertionError(String message) {
        super(message);
    }
}
