package dev.pyjama.exceptions;

/**
 * The Python code of this thread was stopped because the Java thread was interrupted
 * ({@link Thread#interrupt()}, {@code Future.cancel(true)}, an executor's timeout): pyjama raised
 * {@code KeyboardInterrupt} in that thread's Python code, and this is how it arrives in Java. It
 * is a {@link PyKeyboardInterrupt}, so code that handles Python's interrupt handles it too.
 *
 * <p>The thread's interrupt status stays set, as it was when the interrupt arrived, so that code
 * further up can still see it (unlike {@link InterruptedException}, which clears it).
 */
public final class PythonInterruptedException extends PyKeyboardInterrupt {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was interrupted
     */
    public PythonInterruptedException(String message) {
        super(message);
    }

    /** Raised in Python as {@code KeyboardInterrupt}, like its superclass. */
    @Override
    public String pythonTypeName() {
        return "KeyboardInterrupt";
    }
}
