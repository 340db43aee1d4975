package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code EOFError}: raised when {@code input()} reaches end of file
 * without reading any data.
 */
public final class PyEOFError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code EOFError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyEOFError(String message) {
        super(message);
    }
}
