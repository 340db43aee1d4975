package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code SystemError}: raised when the interpreter finds an internal
 * error.
 */
public final class PySystemError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code SystemError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PySystemError(String message) {
        super(message);
    }
}
