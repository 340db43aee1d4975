package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code InterruptedError}: raised when a system call is interrupted
 * by an incoming signal ({@code EINTR}).
 */
public final class PyInterruptedError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code InterruptedError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyInterruptedError(String message) {
        super(message);
    }
}
