package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code BytesWarning}: the category of warnings about {@code bytes}
 * and {@code bytearray} misuse, such as comparing them with {@code str}.
 */
public final class PyBytesWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code BytesWarning(message)} when it is thrown from
     * Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyBytesWarning(String message) {
        super(message);
    }
}
