package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code TabError}: raised when indentation mixes tabs and spaces
 * inconsistently.
 */
public final class PyTabError extends PyIndentationError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code TabError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyTabError(String message) {
        super(message);
    }
}
