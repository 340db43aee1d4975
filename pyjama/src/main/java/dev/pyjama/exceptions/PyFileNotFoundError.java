package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code FileNotFoundError}: raised when a file or directory is
 * requested but does not exist ({@code ENOENT}).
 */
public final class PyFileNotFoundError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code FileNotFoundError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyFileNotFoundError(String message) {
        super(message);
    }
}
