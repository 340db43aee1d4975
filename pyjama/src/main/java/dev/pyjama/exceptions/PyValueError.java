package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ValueError}: raised when an operation or function receives
 * an argument of the right type but an inappropriate value.
 */
public sealed class PyValueError extends PyException permits PyUnicodeError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ValueError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyValueError(String message) {
        super(message);
    }
}
