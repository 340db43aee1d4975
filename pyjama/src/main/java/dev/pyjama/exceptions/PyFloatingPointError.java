package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code FloatingPointError}: raised when a floating point operation
 * fails (not raised by default in current Python).
 */
public final class PyFloatingPointError extends PyArithmeticError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code FloatingPointError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyFloatingPointError(String message) {
        super(message);
    }
}
