package dev.pyjama.exceptions;

/**
 * pyjama could not find, load or start a CPython. The message says what was tried, why each
 * candidate was refused, and how to point pyjama at an interpreter.
 *
 * <p>This is not a Python exception: no Python code ran. Once thrown, later attaches try again,
 * so a program can fix its configuration (for example with {@code Python.initialize}) and retry.
 */
public final class PythonStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was tried and why it failed
     */
    public PythonStartupException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the failure that caused it.
     *
     * @param message what was tried and why it failed
     * @param cause the underlying failure
     */
    public PythonStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
