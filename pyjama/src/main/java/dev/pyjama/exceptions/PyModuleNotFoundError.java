package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ModuleNotFoundError}: raised by {@code import} when a
 * module cannot be located.
 */
public final class PyModuleNotFoundError extends PyImportError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ModuleNotFoundError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyModuleNotFoundError(String message) {
        super(message);
    }
}
