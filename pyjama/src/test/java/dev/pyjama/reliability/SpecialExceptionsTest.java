package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyGeneratorExit;
import dev.pyjama.exceptions.PyKeyboardInterrupt;
import dev.pyjama.exceptions.PyMemoryError;
import dev.pyjama.exceptions.PySystemExit;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * SystemExit, KeyboardInterrupt, GeneratorExit and MemoryError raised from Python arrive in Java as
 * {@link PySystemExit}, {@link PyKeyboardInterrupt}, {@link PyGeneratorExit} and
 * {@link PyMemoryError}; the interpreter stays usable; SystemExit never ends the JVM (the forked
 * child must reach its end and exit with 0 after all of them).
 */
class SpecialExceptionsTest {

    public static final class Cases implements ScenarioSet {

        static void usable(Python py) {
            assertEquals(42L, py.eval("6 * 7").toJava(long.class));
            assertEquals("ok", py.eval("'o' + 'k'").toJava(String.class));
        }

        static void attached(Function<Python, Object> body) {
            Python.attach(py -> {
                body.apply(py);
                usable(py);
                return null;
            });
            Python.attach(py -> {
                usable(py);
                return null;
            });
        }

        static <E extends PyBaseException> E exact(Class<E> type, String pythonName, org.junit.jupiter.api.function.Executable ex) {
            E e = assertThrows(type, ex);
            assertSame(type, e.getClass(), "exact Java class");
            assertEquals(pythonName, e.pythonTypeName());
            return e;
        }

        @Override
        public Map<String, Body> scenarios() {
            return new Builder()
                    .add("sys-exit-3", () -> attached(py -> {
                        PySystemExit e = exact(PySystemExit.class, "SystemExit", () -> py.run("import sys\nsys.exit(3)"));
                        assertTrue(e.getMessage().contains("3"), e.getMessage());
                        assertEquals(3L, e.value().orElseThrow().bind(py).getAttr("code").toJava(long.class));
                        return null;
                    }))
                    .add("raise-SystemExit", () -> attached(py -> {
                        exact(PySystemExit.class, "SystemExit", () -> py.run("raise SystemExit"));
                        PySystemExit e = exact(PySystemExit.class, "SystemExit", () -> py.run("raise SystemExit('bye')"));
                        assertTrue(e.getMessage().contains("bye"), e.getMessage());
                        exact(PySystemExit.class, "SystemExit", () -> py.eval("exit(4)"));
                        return null;
                    }))
                    .add("SystemExit-through-java-callback", () -> attached(py -> {
                        PyCallable f = py.function("f", () -> {
                            Python.attach(inner -> {
                                inner.run("import sys\nsys.exit(5)");
                                return null;
                            });
                            return null;
                        });
                        PyObject caller = py.eval("lambda g: g()");
                        exact(PySystemExit.class, "SystemExit", () -> caller.call(f));
                        return null;
                    }))
                    .add("SystemExit-in-python-thread", () -> attached(py -> {
                        py.run("import threading\n_t = threading.Thread(target=lambda: exit(9))\n_t.start()\n_t.join()\n");
                        return null;
                    }))
                    .add("KeyboardInterrupt", () -> attached(py -> {
                        exact(PyKeyboardInterrupt.class, "KeyboardInterrupt", () -> py.run("raise KeyboardInterrupt"));
                        exact(PyKeyboardInterrupt.class, "KeyboardInterrupt",
                                () -> py.eval("(_ for _ in ()).throw(KeyboardInterrupt('k'))"));
                        return null;
                    }))
                    .add("GeneratorExit", () -> attached(py -> {
                        exact(PyGeneratorExit.class, "GeneratorExit", () -> py.run("raise GeneratorExit"));
                        py.run("def _gen():\n    yield 1\n    yield 2\n");
                        exact(PyGeneratorExit.class, "GeneratorExit", () -> py.eval("_gen()").callMethod("throw",
                                py.eval("GeneratorExit")));
                        return null;
                    }))
                    .add("MemoryError", () -> attached(py -> {
                        exact(PyMemoryError.class, "MemoryError", () -> py.eval("bytearray(1 << 62)"));
                        exact(PyMemoryError.class, "MemoryError", () -> py.eval("[0] * (1 << 60)"));
                        exact(PyMemoryError.class, "MemoryError", () -> py.eval("bytearray").call(1L << 62));
                        PyBaseException e = assertThrows(PyBaseException.class, () -> py.eval("'x' * (1 << 62)"));
                        assertTrue(e.pythonTypeName().equals("MemoryError") || e.pythonTypeName().equals("OverflowError"),
                                e.toString());
                        return null;
                    }))
                    .add("SystemExit-in-__del__", () -> attached(py -> {
                        py.run("class _ExitOnDel:\n    def __del__(self):\n        raise SystemExit(11)\n");
                        py.scope(inner -> inner.eval("_ExitOnDel()"));
                        return null;
                    }))
                    .add("still-alive", () -> attached(py -> null))
                    .build();
        }
    }

    @TestFactory
    Stream<DynamicTest> specialExceptions() {
        return ForkedScenarios.run("special exceptions", Cases.class, n -> true, 60).stream();
    }
}
