package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code PendingDeprecationWarning}: the category of warnings about
 * features that will be deprecated in the future.
 */
public final class PyPendingDeprecationWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code PendingDeprecationWarning(message)} when it
     * is thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyPendingDeprecationWarning(String message) {
        super(message);
    }
}
