package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code StopIteration}: raised by an iterator's {@code __next__()}
 * to signal that there are no further items.
 */
public final class PyStopIteration extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code StopIteration(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyStopIteration(String message) {
        super(message);
    }
}
