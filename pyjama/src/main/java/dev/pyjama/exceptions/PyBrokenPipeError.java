package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code BrokenPipeError}: raised when writing to a pipe or socket
 * whose other end has been closed ({@code EPIPE}, {@code ESHUTDOWN}).
 */
public final class PyBrokenPipeError extends PyConnectionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code BrokenPipeError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyBrokenPipeError(String message) {
        super(message);
    }
}
