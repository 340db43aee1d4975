package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code AttributeError}: raised when an attribute reference or
 * assignment fails.
 */
public final class PyAttributeError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code AttributeError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyAttributeError(String message) {
        super(message);
    }
}
