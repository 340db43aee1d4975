package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code StopAsyncIteration}: raised by an asynchronous iterator's
 * {@code __anext__()} to stop the iteration.
 */
public final class PyStopAsyncIteration extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code StopAsyncIteration(message)} when it is
     * thrown from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyStopAsyncIteration(String message) {
        super(message);
    }
}
