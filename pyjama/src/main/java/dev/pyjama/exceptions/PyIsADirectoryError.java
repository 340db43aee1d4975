package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code IsADirectoryError}: raised when a file operation is
 * requested on a directory ({@code EISDIR}).
 */
public final class PyIsADirectoryError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code IsADirectoryError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyIsADirectoryError(String message) {
        super(message);
    }
}
