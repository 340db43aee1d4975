package dev.pyjama.exceptions;

/**
 * Java form of Python's built-in {@code OSError}: raised when a system function returns a
 * system-related error, such as an I/O failure; {@code EnvironmentError} and {@code IOError} are
 * aliases of it.
 */
public sealed class PyOSError extends PyException
        permits PyBlockingIOError, PyChildProcessError, PyConnectionError, PyFileExistsError,
        PyFileNotFoundError, PyInterruptedError, PyIsADirectoryError, PyNotADirectoryError,
        PyPermissionError, PyProcessLookupError, PyTimeoutError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that Python sees as {@code OSError(message)} when it is thrown from Java
     * code called by Python.
     *
     * @param message the message; may be null
     */
    public PyOSError(String message) {
        super(message);
    }
}
