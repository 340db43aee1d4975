package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code RuntimeWarning}: the category of warnings about dubious
 * runtime behavior.
 */
public final class PyRuntimeWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code RuntimeWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyRuntimeWarning(String message) {
        super(message);
    }
}
