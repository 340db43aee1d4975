package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code KeyboardInterrupt}: raised when the user hits the interrupt
 * key (normally Control-C). pyjama also raises it in the Python code of a Java thread that is
 * interrupted ({@link Thread#interrupt()}); that one arrives in Java as its subclass
 * {@link PythonInterruptedException}.
 */
public sealed class PyKeyboardInterrupt extends PyBaseException permits PythonInterruptedException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code KeyboardInterrupt(message)} when it is thrown
     * from Java code called by Python.
     *
     * @param message the message; may be null
     */
    public PyKeyboardInterrupt(String message) {
        super(message);
    }
}
