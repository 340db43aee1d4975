package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code ExceptionGroup}: an exception group whose member exceptions
 * are all {@code Exception}s.
 *
 * <p>Python declares {@code ExceptionGroup(BaseExceptionGroup, Exception)}: it is a
 * {@code BaseExceptionGroup} as well as an {@code Exception}. Java has single inheritance, so this
 * class extends {@link PyException}, making {@code catch (PyException e)} catch it as Python's
 * {@code except Exception} does; it is not a {@link PyBaseExceptionGroup} in Java.
 *
 * <p>Exists in Python 3.11 and later.
 */
public final class PyExceptionGroup extends PyException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message, to be thrown from Java code called by Python.
     * Note that Python's {@code ExceptionGroup} takes two arguments (a message and a non-empty
     * sequence of exceptions), so Python itself cannot create one from the message alone.
     *
     * @param message the message; may be null
     */
    public PyExceptionGroup(String message) {
        super(message);
    }
}
