package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ImportError}: raised when an {@code import} statement
 * cannot load a module or find a name in it.
 */
public sealed class PyImportError extends PyException permits PyModuleNotFoundError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ImportError(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyImportError(String message) {
        super(message);
    }
}
