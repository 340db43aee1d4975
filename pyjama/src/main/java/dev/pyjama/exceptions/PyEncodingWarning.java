package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code EncodingWarning}: the category of warnings issued when an
 * encoding is left to the locale default (opt-in with {@code -X warn_default_encoding}).
 *
 * <p>Exists in Python 3.10 and later.
 */
public final class PyEncodingWarning extends PyWarning {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code EncodingWarning(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyEncodingWarning(String message) {
        super(message);
    }
}
