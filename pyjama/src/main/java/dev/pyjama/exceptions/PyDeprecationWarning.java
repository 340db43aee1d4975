package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code DeprecationWarning}: the category of warnings about
 * deprecated features, aimed at developers.
 */
public final class PyDeprecationWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code DeprecationWarning(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyDeprecationWarning(String message) {
        super(message);
    }
}
