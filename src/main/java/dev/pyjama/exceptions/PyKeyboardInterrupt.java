package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code KeyboardInterrupt}: raised when the user hits the interrupt
 * key (normally Control-C).
 */
public final class PyKeyboardInterrupt extends PyBaseException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code KeyboardInterrupt(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyKeyboardInterrupt(String message) {
        super(message);
    }
}
