package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ConnectionAbortedError}: raised when the peer aborts a
 * connection attempt ({@code ECONNABORTED}).
 */
public final class PyConnectionAbortedError extends PyConnectionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ConnectionAbortedError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyConnectionAbortedError(String message) {
        super(message);
    }
}
