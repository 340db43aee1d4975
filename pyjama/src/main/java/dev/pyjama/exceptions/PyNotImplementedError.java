package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code NotImplementedError}: raised by abstract methods that
 * subclasses must override, and for features not yet implemented.
 */
public final class PyNotImplementedError extends PyRuntimeError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code NotImplementedError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyNotImplementedError(String message) {
        super(message);
    }
}
