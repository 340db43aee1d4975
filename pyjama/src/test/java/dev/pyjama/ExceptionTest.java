package dev.pyjama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyException;
import dev.pyjama.exceptions.PyFileNotFoundError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyLookupError;
import dev.pyjama.exceptions.PyOSError;
import dev.pyjama.exceptions.PyRuntimeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python exceptions arriving in Java: classes, messages, types, values, tracebacks, causes. */
class ExceptionTest {

    @Test
    void catchBySpecificAndBaseClass() {
        Python.attach(py -> {
            try {
                py.eval("{'a': 1}['b']");
                fail("no exception");
            } catch (PyKeyError e) {
                assertEquals("KeyError: 'b'", e.getMessage());
                assertEquals("'b'", e.pythonMessage());
                assertEquals("KeyError", e.pythonTypeName());
            }
            try {
                py.eval("{'a': 1}['b']");
                fail("no exception");
            } catch (PyLookupError e) {
                assertInstanceOf(PyKeyError.class, e);
            }
            try {
                py.eval("[][0]");
                fail("no exception");
            } catch (PyLookupError e) {
                assertEquals("IndexError: list index out of range", e.getMessage());
            }
            PyException ex = assertThrows(PyException.class, () -> py.eval("1 / 0"));
            assertInstanceOf(PyZeroDivisionError.class, ex);
            assertInstanceOf(RuntimeException.class, ex);
            return null;
        });
    }

    @Test
    void messageIsPythons() {
        Python.attach(py -> {
            PyValueError e = assertThrows(PyValueError.class, () -> py.eval("int('x')"));
            assertEquals("ValueError: invalid literal for int() with base 10: 'x'", e.getMessage());
            assertEquals("invalid literal for int() with base 10: 'x'", e.pythonMessage());
            PyRuntimeError empty = assertThrows(PyRuntimeError.class, () -> py.run("raise RuntimeError"));
            assertEquals("RuntimeError", empty.getMessage());
            assertEquals("", empty.pythonMessage());
            return null;
        });
    }

    @Test
    void userDefinedExceptionArrivesAsNearestBuiltin() {
        Python.attach(py -> {
            py.run("class MyError(ValueError):\n    pass\n"
                    + "class MyLookup(KeyError):\n    pass\n");
            PyValueError e = assertThrows(PyValueError.class, () -> py.run("raise MyError('boom')"));
            assertSame(PyValueError.class, e.getClass());
            assertEquals("__main__.MyError", e.pythonTypeName());
            assertEquals("__main__.MyError: boom", e.getMessage());
            assertTrue(e.value().isPresent());
            try (Py<PyObject> v = e.value().get()) {
                PyObject bound = v.bind(py);
                assertEquals("MyError('boom')", bound.repr());
                assertTrue(bound.isInstance(py.eval("MyError")));
                assertEquals("MyError", bound.type().name());
            }
            PyLookupError l = assertThrows(PyLookupError.class, () -> py.run("raise MyLookup('k')"));
            assertSame(PyKeyError.class, l.getClass());
            assertEquals("__main__.MyLookup", l.pythonTypeName());
            // a class defined in a module keeps the module's name
            PyModule m = PyModule.fromCode(py, "class Bad(ArithmeticError):\n    class Nested(LookupError):\n"
                    + "        pass\n", "mymod_exc.py", "mymod_exc");
            PyBaseException a = assertThrows(PyBaseException.class, () -> m.getAttr("Bad").call("x").getAttr("x"));
            assertEquals("PyAttributeError", a.getClass().getSimpleName()); // the attribute error, not Bad
            PyBaseException raised = assertThrows(PyBaseException.class,
                    () -> py.run("import mymod_exc\nraise mymod_exc.Bad('n')"));
            assertEquals("PyArithmeticError", raised.getClass().getSimpleName());
            assertEquals("mymod_exc.Bad", raised.pythonTypeName());
            PyLookupError nested = assertThrows(PyLookupError.class,
                    () -> py.run("import mymod_exc\nraise mymod_exc.Bad.Nested('n')"));
            assertEquals("mymod_exc.Bad.Nested", nested.pythonTypeName());
            return null;
        });
    }

    @Test
    void exceptionValueOutlivesTheScope() {
        PyValueError e = assertThrows(PyValueError.class, () -> Python.attach(py -> py.eval("int('zz')")));
        assertEquals("ValueError: invalid literal for int() with base 10: 'zz'", e.getMessage());
        String repr = Python.attach(py -> e.value().orElseThrow().bind(py).repr());
        assertEquals("ValueError(\"invalid literal for int() with base 10: 'zz'\")", repr);
    }

    @Test
    void pythonFramesStandAboveJavaFrames() {
        Python.attach(py -> {
            py.run(String.join("\n",
                    "def _exc_outer():",
                    "    _exc_inner()",
                    "def _exc_inner():",
                    "    {}['missing']",
                    ""));
            PyKeyError e = assertThrows(PyKeyError.class, () -> py.eval("_exc_outer()"));
            StackTraceElement[] st = e.getStackTrace();
            String all = List.of(st).toString();
            assertEquals("_exc_inner", st[0].getMethodName(), all);
            assertEquals("<string>", st[0].getFileName(), all);
            assertEquals(4, st[0].getLineNumber(), all);
            assertEquals("__main__", st[0].getClassName(), all);
            assertEquals("_exc_outer", st[1].getMethodName(), all);
            assertEquals(2, st[1].getLineNumber(), all);
            assertEquals("<module>", st[2].getMethodName(), all);
            int firstTest = -1;
            for (int i = 0; i < st.length; i++) {
                if (st[i].getClassName().startsWith(ExceptionTest.class.getName())) {
                    firstTest = i;
                    break;
                }
            }
            assertTrue(firstTest > 2, all);
            for (int i = firstTest; i < st.length; i++) {
                assertTrue(st[i].getFileName() == null || st[i].getFileName().endsWith(".java"), all);
            }
            return null;
        });
    }

    @Test
    void raiseFromGivesTheCause() {
        Python.attach(py -> {
            PyValueError e = assertThrows(PyValueError.class,
                    () -> py.run("try:\n    {}['k']\nexcept KeyError as k:\n    raise ValueError('outer') from k\n"));
            assertInstanceOf(PyKeyError.class, e.getCause());
            assertEquals("KeyError: 'k'", e.getCause().getMessage());
            assertNull(e.getCause().getCause());
            // explicit cause object that was never raised
            PyRuntimeError r = assertThrows(PyRuntimeError.class,
                    () -> py.run("raise RuntimeError('r') from OSError(2, 'gone')"));
            assertInstanceOf(PyFileNotFoundError.class, r.getCause());
            // implicit context
            PyValueError ctx = assertThrows(PyValueError.class,
                    () -> py.run("try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise ValueError('during')\n"));
            assertInstanceOf(PyZeroDivisionError.class, ctx.getCause());
            // from None suppresses it
            PyValueError none = assertThrows(PyValueError.class,
                    () -> py.run("try:\n    1 / 0\nexcept ZeroDivisionError:\n    raise ValueError('quiet') from None\n"));
            assertNull(none.getCause());
            // a cycle of causes does not loop
            PyValueError cyc = assertThrows(PyValueError.class, () -> py.run(
                    "a = ValueError('a'); b = KeyError('b'); a.__cause__ = b; b.__cause__ = a\nraise a"));
            assertInstanceOf(PyKeyError.class, cyc.getCause());
            return null;
        });
    }

    @Test
    void osErrorsMapToTheirSubclass() {
        Python.attach(py -> {
            PyOSError e = assertThrows(PyOSError.class, () -> py.eval("open('/nonexistent/pyjama/file')"));
            assertInstanceOf(PyFileNotFoundError.class, e);
            assertTrue(e.getMessage().startsWith("FileNotFoundError: [Errno 2]"), e.getMessage());
            assertInstanceOf(PyFileNotFoundError.class, assertThrows(PyOSError.class,
                    () -> py.run("raise OSError(2, 'x')")));
            assertEquals("OSError", assertThrows(PyOSError.class, () -> py.run("raise IOError('io')")).pythonTypeName());
            return null;
        });
    }

    /** Constructor arguments for built-ins that do not take a single message. */
    private static final Map<String, String> SPECIAL = Map.of(
            "UnicodeDecodeError", "UnicodeDecodeError('utf-8', b'x', 0, 1, 'm')",
            "UnicodeEncodeError", "UnicodeEncodeError('utf-8', 'x', 0, 1, 'm')",
            "UnicodeTranslateError", "UnicodeTranslateError('x', 0, 1, 'm')",
            "ExceptionGroup", "ExceptionGroup('m', [ValueError('v')])",
            "BaseExceptionGroup", "BaseExceptionGroup('m', [KeyboardInterrupt()])");

    @Test
    void everyBuiltinExceptionMapsToItsJavaClass() {
        Python.attach(py -> {
            PyObject names = py.eval("[(n, c.__name__, [k.__name__ for k in c.__mro__]) "
                    + "for n, c in vars(__import__('builtins')).items() "
                    + "if isinstance(c, type) and issubclass(c, BaseException)]");
            List<String> failures = new ArrayList<>();
            int checked = 0;
            for (PyObject entry : names) {
                String name = entry.getItem(0).toJava(String.class);
                String canonical = entry.getItem(1).toJava(String.class);
                Class<?> expected = null;
                for (PyObject k : entry.getItem(2)) {
                    expected = javaClass(k.toJava(String.class));
                    if (expected != null) {
                        break;
                    }
                }
                String raise = "raise " + SPECIAL.getOrDefault(canonical, name + "('m')");
                try {
                    py.run(raise);
                    failures.add(raise + ": nothing thrown");
                } catch (PyBaseException e) {
                    checked++;
                    if (e.getClass() != expected) {
                        failures.add(raise + ": " + e.getClass().getSimpleName() + ", expected " + expected);
                    }
                    if (!e.pythonTypeName().equals(canonical)) {
                        failures.add(raise + ": pythonTypeName " + e.pythonTypeName());
                    }
                    if (!e.getMessage().startsWith(canonical)) {
                        failures.add(raise + ": message " + e.getMessage());
                    }
                    if (e.value().isEmpty()) {
                        failures.add(raise + ": no value");
                    }
                } catch (Throwable t) {
                    failures.add(raise + ": " + t);
                }
            }
            assertTrue(checked >= 60, "only " + checked + " built-ins checked");
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            // still usable after all those
            assertNotNull(py.eval("1"));
            return null;
        });
    }

    @Test
    void builtinWithoutJavaClassArrivesAsItsNearestBase() {
        // Python 3.13's compile() raises the private built-in _IncompleteInputError (a SyntaxError
        // subclass) for incomplete input; it has no Java class of its own.
        Python.attach(py -> {
            try {
                py.run("compile('if True:', '<s>', 'exec', flags=0x4000)");
                fail("no exception");
            } catch (dev.pyjama.exceptions.PySyntaxError e) {
                assertTrue(e.pythonTypeName().equals("SyntaxError") || e.pythonTypeName().equals("_IncompleteInputError"),
                        e.pythonTypeName());
            }
            return null;
        });
    }

    private static Class<?> javaClass(String pythonName) {
        try {
            return Class.forName(PyBaseException.class.getPackageName() + ".Py" + pythonName);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
