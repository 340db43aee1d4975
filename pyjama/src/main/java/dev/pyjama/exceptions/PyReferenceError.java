package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ReferenceError}: raised when a weak reference proxy is used
 * after its referent has been garbage collected.
 */
public final class PyReferenceError extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ReferenceError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyReferenceError(String message) {
        super(message);
    }
}
