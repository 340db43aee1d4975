package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code SystemExit}: raised by {@code sys.exit()} to exit the
 * interpreter.
 */
public final class PySystemExit extends PyBaseException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code SystemExit(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PySystemExit(String message) {
        super(message);
    }
}
