package dev.pyjama.internal;

import dev.pyjama.exceptions.PyArithmeticError;
import dev.pyjama.exceptions.PyAssertionError;
import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyBaseExceptionGroup;
import dev.pyjama.exceptions.PyBlockingIOError;
import dev.pyjama.exceptions.PyBrokenPipeError;
import dev.pyjama.exceptions.PyBufferError;
import dev.pyjama.exceptions.PyBytesWarning;
import dev.pyjama.exceptions.PyChildProcessError;
import dev.pyjama.exceptions.PyConnectionAbortedError;
import dev.pyjama.exceptions.PyConnectionError;
import dev.pyjama.exceptions.PyConnectionRefusedError;
import dev.pyjama.exceptions.PyConnectionResetError;
import dev.pyjama.exceptions.PyDeprecationWarning;
import dev.pyjama.exceptions.PyEOFError;
import dev.pyjama.exceptions.PyEncodingWarning;
import dev.pyjama.exceptions.PyException;
import dev.pyjama.exceptions.PyExceptionGroup;
import dev.pyjama.exceptions.PyFileExistsError;
import dev.pyjama.exceptions.PyFileNotFoundError;
import dev.pyjama.exceptions.PyFloatingPointError;
import dev.pyjama.exceptions.PyFutureWarning;
import dev.pyjama.exceptions.PyGeneratorExit;
import dev.pyjama.exceptions.PyImportError;
import dev.pyjama.exceptions.PyImportWarning;
import dev.pyjama.exceptions.PyIndentationError;
import dev.pyjama.exceptions.PyIndexError;
import dev.pyjama.exceptions.PyInterruptedError;
import dev.pyjama.exceptions.PyIsADirectoryError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyKeyboardInterrupt;
import dev.pyjama.exceptions.PyLookupError;
import dev.pyjama.exceptions.PyMemoryError;
import dev.pyjama.exceptions.PyModuleNotFoundError;
import dev.pyjama.exceptions.PyNameError;
import dev.pyjama.exceptions.PyNotADirectoryError;
import dev.pyjama.exceptions.PyNotImplementedError;
import dev.pyjama.exceptions.PyOSError;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyPendingDeprecationWarning;
import dev.pyjama.exceptions.PyPermissionError;
import dev.pyjama.exceptions.PyProcessLookupError;
import dev.pyjama.exceptions.PyPythonFinalizationError;
import dev.pyjama.exceptions.PyRecursionError;
import dev.pyjama.exceptions.PyReferenceError;
import dev.pyjama.exceptions.PyResourceWarning;
import dev.pyjama.exceptions.PyRuntimeError;
import dev.pyjama.exceptions.PyRuntimeWarning;
import dev.pyjama.exceptions.PyStopAsyncIteration;
import dev.pyjama.exceptions.PyStopIteration;
import dev.pyjama.exceptions.PySyntaxError;
import dev.pyjama.exceptions.PySyntaxWarning;
import dev.pyjama.exceptions.PySystemError;
import dev.pyjama.exceptions.PySystemExit;
import dev.pyjama.exceptions.PyTabError;
import dev.pyjama.exceptions.PyTimeoutError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyUnboundLocalError;
import dev.pyjama.exceptions.PyUnicodeDecodeError;
import dev.pyjama.exceptions.PyUnicodeEncodeError;
import dev.pyjama.exceptions.PyUnicodeError;
import dev.pyjama.exceptions.PyUnicodeTranslateError;
import dev.pyjama.exceptions.PyUnicodeWarning;
import dev.pyjama.exceptions.PyUserWarning;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.exceptions.PyWarning;
import dev.pyjama.exceptions.PyZeroDivisionError;

/**
 * The table between Python's built-in exception names and their Java classes in
 * {@code dev.pyjama.exceptions}: {@code "ValueError"} is {@link PyValueError}, and so on for every
 * built-in exception of CPython 3.10 to 3.13. The aliases {@code EnvironmentError} and
 * {@code IOError} map to {@link PyOSError}, as they are the same class in Python.
 */
public final class BuiltinExceptions {

    private BuiltinExceptions() {}

    /**
     * Creates the Java exception for a Python built-in exception type.
     *
     * @param pythonName the built-in's name as Python spells it ({@code "KeyError"}); the aliases
     *     {@code "EnvironmentError"} and {@code "IOError"} give a {@link PyOSError}
     * @param message the exception's message; may be null
     * @return a new exception of the matching class, or null when {@code pythonName} is not the
     *     name of a built-in exception
     */
    public static PyBaseException create(String pythonName, String message) {
        if (pythonName == null) {
            return null;
        }
        return switch (pythonName) {
            case "ArithmeticError" -> new PyArithmeticError(message);
            case "AssertionError" -> new PyAssertionError(message);
            case "AttributeError" -> new PyAttributeError(message);
            case "BaseException" -> new PyBaseException(message);
            case "BaseExceptionGroup" -> new PyBaseExceptionGroup(message);
            case "BlockingIOError" -> new PyBlockingIOError(message);
            case "BrokenPipeError" -> new PyBrokenPipeError(message);
            case "BufferError" -> new PyBufferError(message);
            case "BytesWarning" -> new PyBytesWarning(message);
            case "ChildProcessError" -> new PyChildProcessError(message);
            case "ConnectionAbortedError" -> new PyConnectionAbortedError(message);
            case "ConnectionError" -> new PyConnectionError(message);
            case "ConnectionRefusedError" -> new PyConnectionRefusedError(message);
            case "ConnectionResetError" -> new PyConnectionResetError(message);
            case "DeprecationWarning" -> new PyDeprecationWarning(message);
            case "EOFError" -> new PyEOFError(message);
            case "EncodingWarning" -> new PyEncodingWarning(message);
            case "Exception" -> new PyException(message);
            case "ExceptionGroup" -> new PyExceptionGroup(message);
            case "FileExistsError" -> new PyFileExistsError(message);
            case "FileNotFoundError" -> new PyFileNotFoundError(message);
            case "FloatingPointError" -> new PyFloatingPointError(message);
            case "FutureWarning" -> new PyFutureWarning(message);
            case "GeneratorExit" -> new PyGeneratorExit(message);
            case "ImportError" -> new PyImportError(message);
            case "ImportWarning" -> new PyImportWarning(message);
            case "IndentationError" -> new PyIndentationError(message);
            case "IndexError" -> new PyIndexError(message);
            case "InterruptedError" -> new PyInterruptedError(message);
            case "IsADirectoryError" -> new PyIsADirectoryError(message);
            case "KeyError" -> new PyKeyError(message);
            case "KeyboardInterrupt" -> new PyKeyboardInterrupt(message);
            case "LookupError" -> new PyLookupError(message);
            case "MemoryError" -> new PyMemoryError(message);
            case "ModuleNotFoundError" -> new PyModuleNotFoundError(message);
            case "NameError" -> new PyNameError(message);
            case "NotADirectoryError" -> new PyNotADirectoryError(message);
            case "NotImplementedError" -> new PyNotImplementedError(message);
            case "OSError", "EnvironmentError", "IOError" -> new PyOSError(message);
            case "OverflowError" -> new PyOverflowError(message);
            case "PendingDeprecationWarning" -> new PyPendingDeprecationWarning(message);
            case "PermissionError" -> new PyPermissionError(message);
            case "ProcessLookupError" -> new PyProcessLookupError(message);
            case "PythonFinalizationError" -> new PyPythonFinalizationError(message);
            case "RecursionError" -> new PyRecursionError(message);
            case "ReferenceError" -> new PyReferenceError(message);
            case "ResourceWarning" -> new PyResourceWarning(message);
            case "RuntimeError" -> new PyRuntimeError(message);
            case "RuntimeWarning" -> new PyRuntimeWarning(message);
            case "StopAsyncIteration" -> new PyStopAsyncIteration(message);
            case "StopIteration" -> new PyStopIteration(message);
            case "SyntaxError" -> new PySyntaxError(message);
            case "SyntaxWarning" -> new PySyntaxWarning(message);
            case "SystemError" -> new PySystemError(message);
            case "SystemExit" -> new PySystemExit(message);
            case "TabError" -> new PyTabError(message);
            case "TimeoutError" -> new PyTimeoutError(message);
            case "TypeError" -> new PyTypeError(message);
            case "UnboundLocalError" -> new PyUnboundLocalError(message);
            case "UnicodeDecodeError" -> new PyUnicodeDecodeError(message);
            case "UnicodeEncodeError" -> new PyUnicodeEncodeError(message);
            case "UnicodeError" -> new PyUnicodeError(message);
            case "UnicodeTranslateError" -> new PyUnicodeTranslateError(message);
            case "UnicodeWarning" -> new PyUnicodeWarning(message);
            case "UserWarning" -> new PyUserWarning(message);
            case "ValueError" -> new PyValueError(message);
            case "Warning" -> new PyWarning(message);
            case "ZeroDivisionError" -> new PyZeroDivisionError(message);
            default -> null;
        };
    }

    /**
     * The Python name of the built-in exception a Java exception class stands for.
     *
     * @param type one of the classes in {@code dev.pyjama.exceptions}, such as
     *     {@code PyValueError.class}
     * @return the Python name ({@code "ValueError"}), or null when {@code type} is not one of them
     */
    public static String pythonName(Class<? extends PyBaseException> type) {
        if (type == null || type.getPackage() != PyBaseException.class.getPackage()) {
            return null;
        }
        return switch (type.getSimpleName()) {
            case "PyArithmeticError" -> "ArithmeticError";
            case "PyAssertionError" -> "AssertionError";
            case "PyAttributeError" -> "AttributeError";
            case "PyBaseException" -> "BaseException";
            case "PyBaseExceptionGroup" -> "BaseExceptionGroup";
            case "PyBlockingIOError" -> "BlockingIOError";
            case "PyBrokenPipeError" -> "BrokenPipeError";
            case "PyBufferError" -> "BufferError";
            case "PyBytesWarning" -> "BytesWarning";
            case "PyChildProcessError" -> "ChildProcessError";
            case "PyConnectionAbortedError" -> "ConnectionAbortedError";
            case "PyConnectionError" -> "ConnectionError";
            case "PyConnectionRefusedError" -> "ConnectionRefusedError";
            case "PyConnectionResetError" -> "ConnectionResetError";
            case "PyDeprecationWarning" -> "DeprecationWarning";
            case "PyEOFError" -> "EOFError";
            case "PyEncodingWarning" -> "EncodingWarning";
            case "PyException" -> "Exception";
            case "PyExceptionGroup" -> "ExceptionGroup";
            case "PyFileExistsError" -> "FileExistsError";
            case "PyFileNotFoundError" -> "FileNotFoundError";
            case "PyFloatingPointError" -> "FloatingPointError";
            case "PyFutureWarning" -> "FutureWarning";
            case "PyGeneratorExit" -> "GeneratorExit";
            case "PyImportError" -> "ImportError";
            case "PyImportWarning" -> "ImportWarning";
            case "PyIndentationError" -> "IndentationError";
            case "PyIndexError" -> "IndexError";
            case "PyInterruptedError" -> "InterruptedError";
            case "PyIsADirectoryError" -> "IsADirectoryError";
            case "PyKeyError" -> "KeyError";
            case "PyKeyboardInterrupt" -> "KeyboardInterrupt";
            case "PyLookupError" -> "LookupError";
            case "PyMemoryError" -> "MemoryError";
            case "PyModuleNotFoundError" -> "ModuleNotFoundError";
            case "PyNameError" -> "NameError";
            case "PyNotADirectoryError" -> "NotADirectoryError";
            case "PyNotImplementedError" -> "NotImplementedError";
            case "PyOSError" -> "OSError";
            case "PyOverflowError" -> "OverflowError";
            case "PyPendingDeprecationWarning" -> "PendingDeprecationWarning";
            case "PyPermissionError" -> "PermissionError";
            case "PyProcessLookupError" -> "ProcessLookupError";
            case "PyPythonFinalizationError" -> "PythonFinalizationError";
            case "PyRecursionError" -> "RecursionError";
            case "PyReferenceError" -> "ReferenceError";
            case "PyResourceWarning" -> "ResourceWarning";
            case "PyRuntimeError" -> "RuntimeError";
            case "PyRuntimeWarning" -> "RuntimeWarning";
            case "PyStopAsyncIteration" -> "StopAsyncIteration";
            case "PyStopIteration" -> "StopIteration";
            case "PySyntaxError" -> "SyntaxError";
            case "PySyntaxWarning" -> "SyntaxWarning";
            case "PySystemError" -> "SystemError";
            case "PySystemExit" -> "SystemExit";
            case "PyTabError" -> "TabError";
            case "PyTimeoutError" -> "TimeoutError";
            case "PyTypeError" -> "TypeError";
            case "PyUnboundLocalError" -> "UnboundLocalError";
            case "PyUnicodeDecodeError" -> "UnicodeDecodeError";
            case "PyUnicodeEncodeError" -> "UnicodeEncodeError";
            case "PyUnicodeError" -> "UnicodeError";
            case "PyUnicodeTranslateError" -> "UnicodeTranslateError";
            case "PyUnicodeWarning" -> "UnicodeWarning";
            case "PyUserWarning" -> "UserWarning";
            case "PyValueError" -> "ValueError";
            case "PyWarning" -> "Warning";
            case "PyZeroDivisionError" -> "ZeroDivisionError";
            default -> null;
        };
    }
}
