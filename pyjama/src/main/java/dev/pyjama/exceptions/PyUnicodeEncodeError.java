package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code UnicodeEncodeError}: raised when a Unicode-related error
 * occurs during encoding.
 */
public final class PyUnicodeEncodeError extends PyUnicodeError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message, to be thrown from Java code called by Python.
     * Note that Python's {@code UnicodeEncodeError} takes five arguments
     * ({@code encoding, object, start, end, reason}), so Python itself cannot create one from the
     * message alone.
     *
     * @param message the message; may be null
     */
    public PyUnicodeEncodeError(String message) {
        super(message);
    }
}
