package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ProcessLookupError}: raised when a given process does not
 * exist ({@code ESRCH}).
 */
public final class PyProcessLookupError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ProcessLookupError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyProcessLookupError(String message) {
        super(message);
    }
}
