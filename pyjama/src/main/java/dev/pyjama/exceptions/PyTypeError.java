package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code TypeError}: raised when an operation or function is applied
 * to an object of inappropriate type.
 */
public final class PyTypeError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code TypeError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyTypeError(String message) {
        super(message);
    }
}
