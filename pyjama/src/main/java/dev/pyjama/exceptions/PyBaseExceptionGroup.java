package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code BaseExceptionGroup}: the base of exception groups, which
 * carry several unrelated exceptions at once (used by {@code except*}).
 *
 * <p>Python's {@code ExceptionGroup} is also a {@code BaseExceptionGroup}, but its Java form
 * {@link PyExceptionGroup} extends {@link PyException} instead, so catching this class does not
 * catch it.
 *
 * <p>Exists in Python 3.11 and later.
 */
public final class PyBaseExceptionGroup extends PyBaseException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message, to be thrown from Java code called by Python.
     * Note that Python's {@code BaseExceptionGroup} takes two arguments (a message and a non-empty
     * sequence of exceptions), so Python itself cannot create one from the message alone.
     *
     * @param message the message; may be null
     */
    public PyBaseExceptionGroup(String message) {
        super(message);
    }
}
