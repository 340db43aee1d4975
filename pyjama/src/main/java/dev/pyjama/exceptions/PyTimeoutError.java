package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code TimeoutError}: raised when a system function times out at
 * the system level ({@code ETIMEDOUT}).
 */
public final class PyTimeoutError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code TimeoutError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyTimeoutError(String message) {
        super(message);
    }
}
