package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code FileExistsError}: raised when trying to create a file or
 * directory that already exists ({@code EEXIST}).
 */
public final class PyFileExistsError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code FileExistsError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyFileExistsError(String message) {
        super(message);
    }
}
