package dev.pyjama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyImportError;
import dev.pyjama.exceptions.PyIndentationError;
import dev.pyjama.exceptions.PyModuleNotFoundError;
import dev.pyjama.exceptions.PyNameError;
import dev.pyjama.exceptions.PySyntaxError;
import dev.pyjama.exceptions.PySystemExit;
import dev.pyjama.exceptions.PyValueError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code py.eval}, {@code py.run}, {@code py.importModule} and {@code PyModule.fromCode}. */
class EvalRunImportTest {

    @Test
    void evalInMain() {
        Python.attach(py -> {
            assertEquals(7L, py.eval("3 + 4").toJava(long.class));
            assertEquals("__main__", py.eval("__name__").toJava(String.class));
            assertThrows(PyNameError.class, () -> py.eval("surely_undefined_name_1234"));
            return null;
        });
    }

    @Test
    void evalWithGlobalsAndLocals() {
        Python.attach(py -> {
            PyObject g = py.eval("{}");
            assertThrows(PyNameError.class, () -> py.eval("x + 1", g, null));
            g.setItem("x", 41);
            assertEquals(42L, py.eval("x + 1", g, null).toJava(long.class));
            PyObject l = py.eval("{'y': 2}");
            assertEquals(82L, py.eval("x * y", g, l).toJava(long.class));
            // locals shadow globals
            l.setItem("x", 100);
            assertEquals(100L, py.eval("x", g, l).toJava(long.class));
            // builtins are available in a fresh globals dict
            assertEquals(3L, py.eval("len('abc')", g, null).toJava(long.class));
            // __main__ was not touched
            assertFalse(py.eval("'y' in globals()").isTruthy());
            return null;
        });
    }

    @Test
    void runDefinesNamesVisibleToLaterEval() {
        Python.attach(py -> {
            py.run("def _twice(v):\n    return 2 * v\n_run_value = _twice(21)\n");
            assertEquals(42L, py.eval("_run_value").toJava(long.class));
            assertEquals(10L, py.eval("_twice").call(5).toJava(long.class));
            return null;
        });
        // and in a later attach scope too: __main__ is one namespace
        assertEquals(42L, (long) Python.<Long>attach(py -> py.eval("_run_value").toJava(long.class)));
    }

    @Test
    void runWithExplicitGlobalsDoesNotLeakIntoMain() {
        Python.attach(py -> {
            PyObject g = py.eval("{}");
            py.run("_leak_check = 5\ndef _leak_fn():\n    return _leak_check\n", g, null);
            assertTrue(g.contains("_leak_check"));
            assertEquals(5L, g.getItem("_leak_fn").call().toJava(long.class));
            assertFalse(py.eval("'_leak_check' in globals()").isTruthy());
            assertThrows(PyNameError.class, () -> py.eval("_leak_check"));
            // separate locals receive the assignments
            PyObject g2 = py.eval("{}");
            PyObject l2 = py.eval("{}");
            py.run("a = 1\nb = a + 1", g2, l2);
            assertEquals(2L, l2.getItem("b").toJava(long.class));
            assertFalse(g2.contains("b"));
            return null;
        });
    }

    @Test
    void importModules() {
        Python.attach(py -> {
            PyModule json = py.importModule("json");
            assertEquals("json", json.name());
            assertEquals("[1, 2]", json.callMethod("dumps", py.eval("[1, 2]")).toJava(String.class));
            PyModule path = py.importModule("os.path");
            assertEquals(py.eval("__import__('os').path"), path);
            assertTrue(path.name().endsWith("path"), path.name()); // posixpath
            assertEquals("a/b", path.callMethod("join", "a", "b").toJava(String.class));
            assertEquals(py.importModule("json"), json); // cached in sys.modules
            assertEquals(4.0, py.importModule("math").callMethod("sqrt", 16).toJava(double.class));
            PyModule decoder = py.importModule("json.decoder");
            assertEquals("json.decoder", decoder.name());
            assertTrue(decoder.dict().contains("JSONDecoder"));
            assertEquals(py.importModule("builtins"), py.builtins());
            return null;
        });
    }

    @Test
    void missingModule() {
        Python.attach(py -> {
            PyModuleNotFoundError e = assertThrows(PyModuleNotFoundError.class,
                    () -> py.importModule("no_such_module_pyjama_xyz"));
            assertEquals("ModuleNotFoundError: No module named 'no_such_module_pyjama_xyz'", e.getMessage());
            assertEquals("ModuleNotFoundError", e.pythonTypeName());
            try {
                py.importModule("json.no_such_submodule_xyz");
                throw new AssertionError("imported a missing submodule");
            } catch (PyImportError expected) {
                assertInstanceOf(PyModuleNotFoundError.class, expected);
                assertTrue(expected.getMessage().contains("json.no_such_submodule_xyz"), expected.getMessage());
            }
            return null;
        });
    }

    @Test
    void fromCodeRegistersTheModule() {
        Python.attach(py -> {
            PyModule m = PyModule.fromCode(py, "VALUE = 'from code'\ndef add(a, b):\n    return a + b\n",
                    "mymod.py", "mymod");
            assertEquals("mymod", m.name());
            assertEquals("mymod.py", m.getAttr("__file__").toJava(String.class));
            assertEquals(5L, m.callMethod("add", 2, 3).toJava(long.class));
            PyModule imported = py.importModule("mymod");
            assertEquals(m, imported);
            assertEquals("from code", imported.getAttr("VALUE").toJava(String.class));
            assertEquals(m, py.eval("__import__('sys').modules['mymod']"));
            // and `import mymod` in Python code finds it too
            py.run("import mymod as _mm\n");
            assertEquals(m, py.eval("_mm"));
            return null;
        });
    }

    @Test
    void tracebackOfFromCodeErrorShowsFileLineAndFunction() {
        Python.attach(py -> {
            PyModule m = PyModule.fromCode(py, String.join("\n",
                    "def outer(x):",
                    "    return middle(x)",
                    "",
                    "def middle(x):",
                    "    y = x + 1",
                    "    raise ValueError('bad %d' % y)",
                    ""), "mymod_tb.py", "mymod_tb");
            PyValueError e = assertThrows(PyValueError.class, () -> m.callMethod("outer", 1));
            assertEquals("ValueError: bad 2", e.getMessage());
            StackTraceElement[] st = e.getStackTrace();
            assertEquals("mymod_tb.py", st[0].getFileName(), List.of(st).toString());
            assertEquals("middle", st[0].getMethodName());
            assertEquals(6, st[0].getLineNumber());
            assertEquals("mymod_tb", st[0].getClassName());
            assertEquals("mymod_tb.py", st[1].getFileName());
            assertEquals("outer", st[1].getMethodName());
            assertEquals(2, st[1].getLineNumber());
            int firstJava = firstFrameOf(st, getClass().getName());
            assertTrue(firstJava > 1, List.of(st).toString());
            for (int i = 2; i < firstJava; i++) {
                assertFalse("mymod_tb.py".equals(st[i].getFileName()), "python frame below java frames: " + st[i]);
            }
            // internal runtime frames are not shown above the user's
            for (StackTraceElement f : st) {
                assertFalse(f.getClassName().startsWith("dev.pyjama.internal."), List.of(st).toString());
            }
            return null;
        });
    }

    @Test
    void errorWhileRunningFromCodeModule() {
        Python.attach(py -> {
            PyValueError e = assertThrows(PyValueError.class,
                    () -> PyModule.fromCode(py, "x = 1\n\nraise ValueError('at import')\n", "mymod_fail.py",
                            "mymod_fail"));
            assertEquals("ValueError: at import", e.getMessage());
            StackTraceElement top = e.getStackTrace()[0];
            assertEquals("mymod_fail.py", top.getFileName());
            assertEquals(3, top.getLineNumber());
            assertEquals("<module>", top.getMethodName());
            // a module that failed to execute is not left in sys.modules
            assertFalse(py.eval("'mymod_fail' in __import__('sys').modules").isTruthy());
            return null;
        });
    }

    @Test
    void syntaxErrors() {
        Python.attach(py -> {
            PySyntaxError e = assertThrows(PySyntaxError.class, () -> py.eval("1 +"));
            assertTrue(e.getMessage().startsWith("SyntaxError: "), e.getMessage());
            assertThrows(PySyntaxError.class, () -> py.run("def f(:\n    pass\n"));
            assertThrows(PySyntaxError.class, () -> py.eval("x = 1")); // a statement is not an expression
            PySyntaxError ind = assertThrows(PySyntaxError.class, () -> py.run("if True:\nx = 1\n"));
            assertInstanceOf(PyIndentationError.class, ind);
            PySyntaxError inMod = assertThrows(PySyntaxError.class,
                    () -> PyModule.fromCode(py, "def broken(:\n", "mymod_syntax.py", "mymod_syntax"));
            assertTrue(inMod.getMessage().contains("mymod_syntax.py"), inMod.getMessage());
            assertFalse(py.eval("'mymod_syntax' in __import__('sys').modules").isTruthy());
            // still usable
            assertEquals(1L, py.eval("1").toJava(long.class));
            return null;
        });
    }

    @Test
    void nulCharacterInCodeIsAnExceptionNotACrash() {
        Python.attach(py -> {
            assertThrows(PyBaseException.class, () -> py.run("x = 1\0\n"));
            assertThrows(PyBaseException.class, () -> py.eval("'a\0b'"));
            assertThrows(PyBaseException.class, () -> py.importModule("js\0on"));
            assertThrows(PyBaseException.class, () -> PyModule.fromCode(py, "a = 1\0", "nul.py", "mymod_nul"));
            // a NUL written as an escape inside Python code is fine
            assertEquals(3L, py.eval("len('a\\0b')").toJava(long.class));
            assertEquals(2L, py.eval("1 + 1").toJava(long.class));
            return null;
        });
    }

    @Test
    void nulCharacterInModuleOrFileNameIsRefused() {
        Python.attach(py -> {
            // The C API takes NUL-terminated names: a NUL must be refused, not silently truncated.
            assertThrows(RuntimeException.class,
                    () -> PyModule.fromCode(py, "A = 1\n", "nulname.py", "mymod_trunc\0ated"));
            assertFalse(py.eval("'mymod_trunc' in __import__('sys').modules").isTruthy(),
                    "module registered under a truncated name");
            return null;
        });
    }

    @Test
    void systemExitIsAnExceptionAndTheInterpreterStaysUsable() {
        Python.attach(py -> {
            PySystemExit e = assertThrows(PySystemExit.class, () -> py.run("raise SystemExit(3)"));
            assertEquals("SystemExit: 3", e.getMessage());
            assertTrue(e.value().isPresent());
            try (Py<PyObject> v = e.value().get()) {
                assertEquals(3L, v.bind(py).getAttr("code").toJava(long.class));
            }
            PySystemExit e2 = assertThrows(PySystemExit.class, () -> py.run("import sys\nsys.exit('bye')"));
            assertEquals("SystemExit: bye", e2.getMessage());
            assertThrows(PySystemExit.class, () -> py.importModule("sys").callMethod("exit", 0));
            // still here, still working
            assertEquals(6L, py.eval("2 * 3").toJava(long.class));
            return null;
        });
        assertEquals(10L, (long) Python.<Long>attach(py -> py.eval("sum(range(5))").toJava(long.class)));
    }

    @Test
    void evalResultsAreDistinctObjects() {
        Python.attach(py -> {
            assertNotEquals(py.eval("[]"), py.eval("[]"));
            return null;
        });
    }

    private static int firstFrameOf(StackTraceElement[] st, String className) {
        for (int i = 0; i < st.length; i++) {
            if (st[i].getClassName().startsWith(className)) {
                return i;
            }
        }
        return -1;
    }
}
