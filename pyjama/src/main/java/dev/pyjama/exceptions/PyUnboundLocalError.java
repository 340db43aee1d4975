package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code UnboundLocalError}: raised when a local variable is
 * referenced before it has been assigned a value.
 */
public final class PyUnboundLocalError extends PyNameError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code UnboundLocalError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyUnboundLocalError(String message) {
        super(message);
    }
}
