package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code PermissionError}: raised when an operation lacks the access
 * rights it needs ({@code EACCES}, {@code EPERM}).
 */
public final class PyPermissionError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code PermissionError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyPermissionError(String message) {
        super(message);
    }
}
