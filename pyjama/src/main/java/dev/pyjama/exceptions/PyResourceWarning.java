package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ResourceWarning}: the category of warnings about resource
 * usage, such as unclosed files.
 */
public final class PyResourceWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ResourceWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyResourceWarning(String message) {
        super(message);
    }
}
