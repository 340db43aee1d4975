package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ZeroDivisionError}: raised when the divisor of a division
 * or modulo operation is zero.
 */
public final class PyZeroDivisionError extends PyArithmeticError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ZeroDivisionError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyZeroDivisionError(String message) {
        super(message);
    }
}
