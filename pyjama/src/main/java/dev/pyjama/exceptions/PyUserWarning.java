package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code UserWarning}: the default category of warnings issued by
 * {@code warnings.warn()}.
 */
public final class PyUserWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code UserWarning(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyUserWarning(String message) {
        super(message);
    }
}
