package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ChildProcessError}: raised when an operation on a child
 * process fails ({@code ECHILD}).
 */
public final class PyChildProcessError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code ChildProcessError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyChildProcessError(String message) {
        super(message);
    }
}
