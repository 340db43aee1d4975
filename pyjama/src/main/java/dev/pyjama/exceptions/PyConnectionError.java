package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ConnectionError}: the base of the errors raised for
 * connection failures.
 */
public sealed class PyConnectionError extends PyOSError
        permits PyBrokenPipeError, PyConnectionAbortedError, PyConnectionRefusedError,
        PyConnectionResetError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ConnectionError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyConnectionError(String message) {
        super(message);
    }
}
