package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code MemoryError}: raised when an operation runs out of memory.
 */
public final class PyMemoryError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code MemoryError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyMemoryError(String message) {
        super(message);
    }
}
