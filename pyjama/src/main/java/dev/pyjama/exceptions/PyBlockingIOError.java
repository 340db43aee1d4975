package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code BlockingIOError}: raised when an operation would block on
 * an object set for non-blocking operation ({@code EAGAIN}, {@code EWOULDBLOCK},
 * {@code EINPROGRESS}).
 */
public final class PyBlockingIOError extends PyOSError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code BlockingIOError(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyBlockingIOError(String message) {
        super(message);
    }
}
