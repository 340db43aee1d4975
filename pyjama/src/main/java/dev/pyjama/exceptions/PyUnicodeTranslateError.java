package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code UnicodeTranslateError}: raised when a Unicode-related error
 * occurs during translating.
 */
public final class PyUnicodeTranslateError extends PyUnicodeError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message, to be thrown from Java code called by Python.
     * Note that Python's {@code UnicodeTranslateError} takes four arguments
     * ({@code object, start, end, reason}), so Python itself cannot create one from the message
     * alone.
     *
     * @param message the message; may be null
     */
    public PyUnicodeTranslateError(String message) {
        super(message);
    }
}
