/**
 * Python's built-in exceptions as Java exceptions, in Python's hierarchy.
 *
 * {@snippet :
 * try {
 *     py.eval("{'a': 1}['b']");
 * } catch (PyLookupError e) {        // a KeyError or an IndexError
 *     String message = e.getMessage(); // "KeyError: 'b'"
 * }
 * }
 *
 * <p>{@link dev.pyjama.exceptions.PythonStartupException} (CPython could not be found or started)
 * and {@link dev.pyjama.exceptions.PythonInterruptedException} (Python code stopped by a Java
 * interrupt) are pyjama's own.
 */
package dev.pyjama.exceptions;
