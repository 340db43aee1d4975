package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code BufferError}: raised when an operation on a buffer cannot
 * be performed.
 */
public final class PyBufferError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code BufferError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyBufferError(String message) {
        super(message);
    }
}
