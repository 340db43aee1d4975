package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code UnicodeWarning}: the category of warnings related to
 * Unicode.
 */
public final class PyUnicodeWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code UnicodeWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyUnicodeWarning(String message) {
        super(message);
    }
}
