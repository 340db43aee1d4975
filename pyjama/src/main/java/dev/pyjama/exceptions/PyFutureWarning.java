package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code FutureWarning}: the category of warnings about constructs
 * whose semantics will change, aimed at end users.
 */
public final class PyFutureWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code FutureWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyFutureWarning(String message) {
        super(message);
    }
}
