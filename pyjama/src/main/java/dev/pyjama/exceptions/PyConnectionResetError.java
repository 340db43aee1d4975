package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ConnectionResetError}: raised when the peer resets a
 * connection ({@code ECONNRESET}).
 */
public final class PyConnectionResetError extends PyConnectionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ConnectionResetError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyConnectionResetError(String message) {
        super(message);
    }
}
