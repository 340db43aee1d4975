package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code OverflowError}: raised when the result of an arithmetic
 * operation is too large to be represented.
 */
public final class PyOverflowError extends PyArithmeticError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code OverflowError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyOverflowError(String message) {
        super(message);
    }
}
