package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ConnectionRefusedError}: raised when the peer refuses a
 * connection attempt ({@code ECONNREFUSED}).
 */
public final class PyConnectionRefusedError extends PyConnectionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ConnectionRefusedError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyConnectionRefusedError(String message) {
        super(message);
    }
}
