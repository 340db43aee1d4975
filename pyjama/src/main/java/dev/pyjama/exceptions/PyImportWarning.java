package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ImportWarning}: the category of warnings about probable
 * mistakes in module imports.
 */
public final class PyImportWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ImportWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyImportWarning(String message) {
        super(message);
    }
}
