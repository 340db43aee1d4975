package dev.pyjama.calls;

import static dev.pyjama.calls.CallPythonTest.ns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyRuntimeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import dev.pyjama.testing.PyTesting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exceptions crossing the boundary in both directions, and mixed Python/Java tracebacks. */
class BoundaryExceptionTest {

    private static final String PROBE = String.join("\n",
            "import sys",
            "import pyjama",
            "def probe(f, *args):",
            "    try:",
            "        f(*args)",
            "    except pyjama.JavaException as e:",
            "        return {'str': str(e), 'java_class': e.java_class, 'java_stack': e.java_stack,",
            "                'notes': getattr(e, '__notes__', None), 'type': type(e).__module__ + '.' + type(e).__name__,",
            "                'is_exception': isinstance(e, Exception)}",
            "    return None",
            "");

    private static RuntimeException thrower(String message) {
        return new IllegalStateException(message);
    }

    @Test
    void javaExceptionIsPyjamaJavaExceptionInPython() {
        Python.attach(py -> {
            PyDict ns = ns(py, PROBE);
            PyCallable f = py.function("fails", x -> {
                throw thrower("broken " + x.toJava(String.class));
            });
            PyObject r = ns.getItem("probe").call(f, "glass");
            assertTrue(!r.isNone(), "pyjama.JavaException was not raised");
            String str = r.getItem("str").toJava(String.class);
            assertTrue(str.contains("java.lang.IllegalStateException") && str.contains("broken glass"), str);
            assertEquals("java.lang.IllegalStateException", r.getItem("java_class").toJava(String.class));
            String stack = r.getItem("java_stack").toJava(String.class);
            assertTrue(stack.contains("IllegalStateException: broken glass"), stack);
            assertTrue(stack.contains("at " + BoundaryExceptionTest.class.getName() + ".thrower"), stack);
            assertEquals("pyjama.JavaException", r.getItem("type").toJava(String.class));
            assertTrue(r.getItem("is_exception").isTruthy());
            PyObject notes = r.getItem("notes");
            if (PyTesting.minor(py) >= 11) {
                assertEquals(1, notes.len(), notes.repr());
                String note = notes.getItem(0).toJava(String.class);
                assertTrue(note.startsWith("Java stack trace:"), note);
                assertTrue(note.contains(BoundaryExceptionTest.class.getName() + ".thrower"), note);
            } else {
                assertTrue(notes.isNone(), notes.repr());
            }
            // catchable as plain Exception, and visible in traceback.format_exception
            PyObject fmt = ns(py, String.join("\n",
                    "import traceback",
                    "def fmt(f):",
                    "    try:",
                    "        f('x')",
                    "    except Exception as e:",
                    "        return ''.join(traceback.format_exception(type(e), e, e.__traceback__))",
                    "")).getItem("fmt");
            String formatted = fmt.call(f).toJava(String.class);
            assertTrue(formatted.contains("pyjama.JavaException: java.lang.IllegalStateException: broken x"), formatted);
            return null;
        });
    }

    @Test
    void javaExceptionWithoutMessage() {
        Python.attach(py -> {
            PyObject r = ns(py, PROBE).getItem("probe").call(py.function("npe", () -> {
                throw new UnsupportedOperationException();
            }));
            assertEquals("java.lang.UnsupportedOperationException", r.getItem("str").toJava(String.class));
            return null;
        });
    }

    @Test
    void unconvertibleResultIsAJavaExceptionInPython() {
        Python.attach(py -> {
            // (an object without a conversion is a pyjama.JavaObject since issue 18; a list that
            // contains itself has no Python form at all)
            List<Object> loop = new ArrayList<>();
            loop.add(loop);
            PyCallable f = py.function("opaque", () -> loop);
            PyObject r = ns(py, PROBE).getItem("probe").call(f);
            assertTrue(!r.isNone(), "an unconvertible result must raise in Python");
            assertEquals("java.lang.IllegalArgumentException", r.getItem("java_class").toJava(String.class));
            assertThrows(IllegalArgumentException.class, f::call);
            return null;
        });
    }

    @Test
    void originalJavaExceptionComesBackToJava() {
        Python.attach(py -> {
            RuntimeException boom = new IllegalArgumentException("boom");
            PyCallable f = py.function("boom", () -> {
                throw boom;
            });
            // directly
            assertSame(boom, assertThrows(IllegalArgumentException.class, f::call));
            // through several Python frames
            PyDict ns = ns(py, "def a(f):\n    return b(f) + 1\ndef b(f):\n    return [f()]\n");
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> ns.getItem("a").call(f)));
            // through a Python function that catches and re-raises it
            PyObject reraise = ns(py, String.join("\n",
                    "def reraise(f):",
                    "    try:",
                    "        f()",
                    "    except Exception:",
                    "        raise",
                    "")).getItem("reraise");
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> reraise.call(f)));
            // through map() inside list()
            assertSame(boom, assertThrows(IllegalArgumentException.class,
                    () -> py.eval("lambda f: list(map(lambda x: f(), [1]))").call(f)));
            // a Java Error too
            AssertionError error = new AssertionError("an error");
            PyCallable e = py.function("error", () -> {
                throw error;
            });
            assertSame(error, assertThrows(AssertionError.class, () -> ns.getItem("a").call(e)));
            // Python still works after
            assertEquals(2L, py.eval("1 + 1").toJava(long.class));
            return null;
        });
    }

    @Test
    void checkedExceptionArrivesAsTheSameObject() {
        Python.attach(py -> {
            IOException io = new IOException("disk on fire");
            PyCallable f = py.function("io", (p, args, kwargs) -> {
                throw io;
            });
            Throwable caught = assertThrows(IOException.class, () -> py.eval("lambda f: f()").call(f));
            assertSame(io, caught);
            // and Python saw a JavaException naming it
            PyObject r = ns(py, PROBE).getItem("probe").call(f);
            assertEquals("java.io.IOException", r.getItem("java_class").toJava(String.class));
            return null;
        });
    }

    @Test
    void javaExceptionIsTheCauseOfAPythonException() {
        Python.attach(py -> {
            RuntimeException boom = new IllegalStateException("root cause");
            PyCallable f = py.function("boom", () -> {
                throw boom;
            });
            PyObject wrap = ns(py, String.join("\n",
                    "def wrap(f):",
                    "    try:",
                    "        f()",
                    "    except Exception as e:",
                    "        raise RuntimeError('wrapped') from e",
                    "")).getItem("wrap");
            PyRuntimeError e = assertThrows(PyRuntimeError.class, () -> wrap.call(f));
            assertEquals("RuntimeError: wrapped", e.getMessage());
            assertSame(boom, e.getCause());
            return null;
        });
    }

    @Test
    void pyValueErrorThrownInJavaIsValueErrorInPython() {
        Python.attach(py -> {
            PyCallable f = py.function("validate", x -> {
                if (x.toJava(long.class) < 0) {
                    throw new PyValueError("must be non-negative, got " + x);
                }
                return x;
            });
            PyObject attempt = ns(py, String.join("\n",
                    "def attempt(f, x):",
                    "    try:",
                    "        return ('ok', f(x))",
                    "    except ValueError as e:",
                    "        return (type(e).__name__, str(e), type(e) is ValueError)",
                    "")).getItem("attempt");
            assertEquals("('ok', 3)", attempt.call(f, 3).repr());
            assertEquals("('ValueError', 'must be non-negative, got -1', True)", attempt.call(f, -1).repr());
            // propagated out to Java it is a PyValueError with the same message
            PyValueError e = assertThrows(PyValueError.class, () -> py.eval("lambda f: f(-2)").call(f));
            assertEquals("must be non-negative, got -2", e.pythonMessage());
            // other built-in kinds: KeyError is a LookupError in Python
            PyCallable lookup = py.function("lookup", x -> {
                throw new PyKeyError("missing");
            });
            assertEquals("LookupError 'missing'", ns(py, String.join("\n",
                    "def look(f):",
                    "    try:",
                    "        f(1)",
                    "    except LookupError as e:",
                    "        return 'LookupError ' + str(e)",
                    "")).getItem("look").call(lookup).toJava(String.class));
            return null;
        });
    }

    @Test
    void pythonExceptionThroughJavaKeepsItsIdentityInPython() {
        Python.attach(py -> {
            PyDict ns = ns(py, String.join("\n",
                    "class Custom(Exception):",
                    "    pass",
                    "def raise_custom():",
                    "    global raised",
                    "    raised = Custom('mine')",
                    "    raise raised",
                    "def outer(f):",
                    "    try:",
                    "        f()",
                    "    except Custom as e:",
                    "        return e is raised",
                    "    return 'not caught'",
                    ""));
            PyObject raiseCustom = ns.getItem("raise_custom");
            // Java calls Python, which raises; Java lets it propagate back to Python
            PyCallable relay = py.function("relay", () -> raiseCustom.call());
            assertEquals("True", ns.getItem("outer").call(relay).repr());
            return null;
        });
    }

    // --- the mixed traceback: Python -> Java -> Python -> Java -> Python raises ---

    private static PyDict layers;

    private static Object javaLayerOne(Python p) {
        return layers.getItem("py_middle").call(layers.getItem("j2"));
    }

    private static Object javaLayerTwo(Python p) {
        return layers.getItem("py_inner").call();
    }

    @Test
    void mixedTracebackThroughSeveralLayers() {
        Python.attach(py -> {
            layers = ns(py, String.join("\n",
                    "def py_outer(j1):",
                    "    return j1() + 1",
                    "def py_middle(j2):",
                    "    return j2() + 1",
                    "def py_inner():",
                    "    raise KeyError('deep')",
                    ""));
            try {
                layers.setItem("j2", py.function("j2", (p, a, k) -> javaLayerTwo(p)));
                PyCallable j1 = py.function("j1", (p, a, k) -> javaLayerOne(p));
                PyKeyError e = assertThrows(PyKeyError.class, () -> layers.getItem("py_outer").call(j1));
                assertEquals("KeyError: 'deep'", e.getMessage());
                Set<String> interesting = Set.of("py_outer", "py_middle", "py_inner", "javaLayerOne", "javaLayerTwo",
                        "mixedTracebackThroughSeveralLayers");
                List<String> sequence = new ArrayList<>();
                for (StackTraceElement f : e.getStackTrace()) {
                    if (interesting.contains(f.getMethodName())) {
                        sequence.add(f.getMethodName());
                    }
                }
                assertEquals(List.of("py_inner", "javaLayerTwo", "py_middle", "javaLayerOne", "py_outer",
                        "mixedTracebackThroughSeveralLayers"), sequence, Arrays.toString(e.getStackTrace()));
                // the Python frames name their file and line
                StackTraceElement inner = Arrays.stream(e.getStackTrace()).filter(f -> f.getMethodName().equals("py_inner"))
                        .findFirst().orElseThrow();
                assertEquals("<string>", inner.getFileName());
                assertEquals(6, inner.getLineNumber());
                // the Java lambda frames are there too, between the layers
                List<String> all = Arrays.stream(e.getStackTrace()).map(StackTraceElement::getMethodName).toList();
                int two = all.indexOf("javaLayerTwo");
                int middle = all.indexOf("py_middle");
                assertTrue(all.subList(two, middle).stream().anyMatch(m -> m.startsWith("lambda$mixedTraceback")),
                        all.toString());
                return null;
            } finally {
                layers = null;
            }
        });
    }

    /** The same, with a Java exception thrown at the bottom: Java gets the original back, unchanged. */
    @Test
    void javaExceptionThroughSeveralLayers() {
        Python.attach(py -> {
            RuntimeException deep = new ArithmeticException("deep java");
            PyDict ns = ns(py, "def through(f, *a):\n    return f(*a) + 1\n");
            PyObject through = ns.getItem("through");
            PyCallable bottom = py.function("bottom", () -> {
                throw deep;
            });
            PyCallable middle = py.function("middle", (p, a, k) -> through.call(bottom));
            assertSame(deep, assertThrows(ArithmeticException.class, () -> through.call(middle)));
            return null;
        });
    }

    @Test
    void pythonErrorInNestedCallTranslatedOnTheWayOut() {
        Python.attach(py -> {
            PyCallable divide = py.function("divide", (a, b) -> py.eval("lambda a, b: a / b").call(a, b));
            PyZeroDivisionError e = assertThrows(PyZeroDivisionError.class,
                    () -> py.eval("lambda f: f(1, 0)").call(divide));
            assertTrue(e.getMessage().startsWith("ZeroDivisionError: "), e.getMessage());
            assertInstanceOf(PyZeroDivisionError.class, e);
            // and Python code can catch it in between
            assertEquals("caught", ns(py, String.join("\n",
                    "def safe(f):",
                    "    try:",
                    "        return f(1, 0)",
                    "    except ZeroDivisionError:",
                    "        return 'caught'",
                    "")).getItem("safe").call(divide).toJava(String.class));
            return null;
        });
    }
}
