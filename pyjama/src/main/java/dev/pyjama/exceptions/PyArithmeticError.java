package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ArithmeticError}: the base of the errors raised for
 * arithmetic failures (overflow, division by zero, floating point).
 */
public sealed class PyArithmeticError extends PyException
        permits PyFloatingPointError, PyOverflowError, PyZeroDivisionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ArithmeticError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyArithmeticError(String message) {
        super(message);
    }
}
