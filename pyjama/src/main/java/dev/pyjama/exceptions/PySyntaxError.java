package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code SyntaxError}: raised when the parser encounters a syntax
 * error.
 */
public sealed class PySyntaxError extends PyException permits PyIndentationError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code SyntaxError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PySyntaxError(String message) {
        super(message);
    }
}
