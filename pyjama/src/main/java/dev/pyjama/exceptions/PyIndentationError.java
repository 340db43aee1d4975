package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code IndentationError}: raised when source code has incorrect
 * indentation.
 */
public sealed class PyIndentationError extends PySyntaxError permits PyTabError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code IndentationError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyIndentationError(String message) {
        super(message);
    }
}
