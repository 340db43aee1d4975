package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code NotADirectoryError}: raised when a directory operation is
 * requested on something that is not a directory ({@code ENOTDIR}).
 */
public final class PyNotADirectoryError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code NotADirectoryError(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyNotADirectoryError(String message) {
        super(message);
    }
}
