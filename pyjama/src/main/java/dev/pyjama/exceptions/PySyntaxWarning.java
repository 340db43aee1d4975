package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code SyntaxWarning}: the category of warnings about dubious
 * syntax.
 */
public final class PySyntaxWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code SyntaxWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PySyntaxWarning(String message) {
        super(message);
    }
}
