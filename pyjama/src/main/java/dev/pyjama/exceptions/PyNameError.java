package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code NameError}: raised when a local or global name is not
 * found.
 */
public sealed class PyNameError extends PyException permits PyUnboundLocalError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code NameError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyNameError(String message) {
        super(message);
    }
}
