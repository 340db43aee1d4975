package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code RecursionError}: raised when the maximum recursion depth is
 * exceeded.
 */
public final class PyRecursionError extends PyRuntimeError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code RecursionError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyRecursionError(String message) {
        super(message);
    }
}
