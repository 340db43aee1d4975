package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code GeneratorExit}: raised inside a generator or coroutine when
 * it is closed.
 */
public final class PyGeneratorExit extends PyBaseException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code GeneratorExit(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyGeneratorExit(String message) {
        super(message);
    }
}
