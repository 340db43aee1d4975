package dev.pyjama.calls;

import static dev.pyjama.calls.CallPythonTest.ns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyContext;
import dev.pyjama.PyDict;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Python context managers used from Java: {@code with(body)} and {@code enterContext()}. */
class ContextManagerTest {

    private static final String MANAGER = String.join("\n",
            "import pyjama",
            "class Manager:",
            "    def __init__(self, suppress=False):",
            "        self.suppress = suppress",
            "        self.log = []",
            "    def __enter__(self):",
            "        self.log.append('enter')",
            "        return 'the value'",
            "    def __exit__(self, t, v, tb):",
            "        self.log.append(('exit', t, v, tb))",
            "        return self.suppress",
            "def describe(m):",
            "    return [e if isinstance(e, str) else (e[0], None if e[1] is None else e[1].__name__,",
            "            None if e[2] is None else str(e[2]), e[3] is None) for e in m.log]",
            "def boom():",
            "    global raised",
            "    raised = ZeroDivisionError('python boom')",
            "    raise raised",
            "");

    @Test
    void successCallsExitWithNones() {
        Python.attach(py -> {
            PyDict ns = ns(py, MANAGER);
            PyObject m = ns.getItem("Manager").call();
            String result = m.with(value -> {
                assertEquals("['enter']", m.getAttr("log").repr(), "__enter__ runs before the body");
                return value.toJava(String.class) + "!";
            });
            assertEquals("the value!", result);
            assertEquals("['enter', ('exit', None, None, None)]", m.getAttr("log").repr());
            return null;
        });
    }

    @Test
    void javaExceptionReachesExitAsJavaExceptionAndIsRethrown() {
        Python.attach(py -> {
            PyDict ns = ns(py, MANAGER);
            PyObject m = ns.getItem("Manager").call();
            IllegalStateException original = new IllegalStateException("java boom");
            IllegalStateException caught = assertThrows(IllegalStateException.class, () -> m.with(v -> {
                throw original;
            }));
            assertSame(original, caught);
            PyObject entry = m.getAttr("log").getItem(1);
            assertTrue(py.eval("lambda e: e[1] is __import__('pyjama').JavaException and isinstance(e[2], e[1])")
                    .call(entry).isTruthy(), entry.repr());
            assertEquals("java.lang.IllegalStateException", entry.getItem(2).getAttr("java_class").toJava(String.class));
            String message = entry.getItem(2).str();
            assertTrue(message.contains("java boom"), message);
            return null;
        });
    }

    @Test
    void pythonExceptionReachesExitAsTheOriginalObject() {
        Python.attach(py -> {
            PyDict ns = ns(py, MANAGER);
            PyObject m = ns.getItem("Manager").call();
            AtomicReference<RuntimeException> thrown = new AtomicReference<>();
            PyZeroDivisionError caught = assertThrows(PyZeroDivisionError.class, () -> m.with(v -> {
                try {
                    return ns.getItem("boom").call();
                } catch (PyZeroDivisionError e) {
                    thrown.set(e);
                    throw e;
                }
            }));
            assertSame(thrown.get(), caught, "not suppressed: the original Java exception is rethrown");
            assertEquals("[('exit', 'ZeroDivisionError', 'python boom', False)]",
                    py.eval("lambda d, m: repr(d(m)[1:])").call(ns.getItem("describe"), m).toJava(String.class));
            assertTrue(py.eval("lambda m, g: m.log[1][2] is g['raised']").call(m, ns).isTruthy(),
                    "__exit__ must get the very exception object Python raised");
            assertTrue(py.eval("lambda m: m.log[1][3] is m.log[1][2].__traceback__").call(m).isTruthy(),
                    "__exit__ gets the exception's traceback");
            return null;
        });
    }

    @Test
    void suppressionIsHonoured() {
        Python.attach(py -> {
            PyDict ns = ns(py, MANAGER);
            PyObject m = ns.getItem("Manager").call(true);
            Object r = m.with(v -> {
                throw new IllegalArgumentException("swallowed");
            });
            assertNull(r);
            assertEquals("['enter', ('exit', 'JavaException', 'java.lang.IllegalArgumentException: swallowed', True)]",
                    ns.getItem("describe").call(m).repr());
            PyObject m2 = ns.getItem("Manager").call(true);
            assertNull(m2.with(v -> ns.getItem("boom").call()));
            // any truthy value suppresses, any falsy one does not
            assertNull(ns.getItem("Manager").call(py.eval("[0]")).with(v -> {
                throw new IllegalStateException();
            }));
            assertThrows(IllegalStateException.class, () -> ns.getItem("Manager").call(py.eval("0")).with(v -> {
                throw new IllegalStateException();
            }));
            assertThrows(IllegalStateException.class, () -> ns.getItem("Manager").call(py.none()).with(v -> {
                throw new IllegalStateException();
            }));
            // a true __exit__ result without an exception does not turn the result into null
            assertEquals("kept", ns.getItem("Manager").call(true).with(v -> "kept"));
            // a Java Error passes __exit__ too
            PyObject m3 = ns.getItem("Manager").call();
            AssertionError err = new AssertionError("assertion");
            assertSame(err, assertThrows(AssertionError.class, () -> m3.with(v -> {
                throw err;
            })));
            assertEquals(2, m3.getAttr("log").len());
            return null;
        });
    }

    @Test
    void exceptionRaisedByExitPropagates() {
        Python.attach(py -> {
            PyObject m = ns(py, String.join("\n",
                    "class Bad:",
                    "    def __enter__(self):",
                    "        return self",
                    "    def __exit__(self, *a):",
                    "        raise KeyError('from exit')",
                    "")).getItem("Bad").call();
            assertThrows(PyKeyError.class, () -> m.with(v -> "ok"));
            IllegalStateException body = new IllegalStateException("from body");
            PyKeyError e = assertThrows(PyKeyError.class, () -> m.with(v -> {
                throw body;
            }));
            // as in a Python with statement, the body's exception is the context of __exit__'s
            assertSame(body, e.getCause(), "the body's exception is lost: " + e.getCause());
            return null;
        });
    }

    @Test
    void enterThatRaisesSkipsBodyAndExit() {
        Python.attach(py -> {
            PyDict ns = ns(py, String.join("\n",
                    "log = []",
                    "class NoEntry:",
                    "    def __enter__(self):",
                    "        raise KeyError('no entry')",
                    "    def __exit__(self, *a):",
                    "        log.append('exit')",
                    ""));
            AtomicReference<String> ran = new AtomicReference<>();
            assertThrows(PyKeyError.class, () -> ns.getItem("NoEntry").call().with(v -> {
                ran.set("body");
                return null;
            }));
            assertThrows(PyKeyError.class, () -> ns.getItem("NoEntry").call().enterContext());
            assertNull(ran.get());
            assertEquals("[]", ns.getItem("log").repr());
            return null;
        });
    }

    @Test
    void notAContextManager() {
        Python.attach(py -> {
            assertThrows(PyAttributeError.class, () -> py.eval("42").with(v -> v));
            assertThrows(PyAttributeError.class, () -> py.eval("42").enterContext());
            return null;
        });
    }

    @Test
    void enterContextWithTryWithResources() {
        Python.attach(py -> {
            PyDict ns = ns(py, MANAGER);
            PyObject m = ns.getItem("Manager").call();
            try (PyContext ctx = m.enterContext()) {
                assertEquals("the value", ctx.value().toJava(String.class));
                assertEquals("['enter']", m.getAttr("log").repr());
                ctx.close(); // an explicit close, then the implicit one: __exit__ once
            }
            assertEquals("['enter', ('exit', None, None, None)]", m.getAttr("log").repr());
            // an exception in the block: __exit__ is still called once (without the exception)
            PyObject m2 = ns.getItem("Manager").call();
            assertThrows(IllegalStateException.class, () -> {
                try (PyContext ctx = m2.enterContext()) {
                    throw new IllegalStateException("in block");
                }
            });
            assertEquals(2, m2.getAttr("log").len(), m2.getAttr("log").repr());
            assertEquals("exit", m2.getAttr("log").getItem(1).getItem(0).toJava(String.class));
            return null;
        });
    }

    @Test
    void threadingLockIsHeldInsideAndReleasedAfter() {
        Python.attach(py -> {
            PyObject lock = py.importModule("threading").callMethod("Lock");
            assertFalse(lock.callMethod("locked").isTruthy());
            boolean inside = lock.with(v -> {
                assertTrue(v.isInstance(py.eval("bool")), "Lock.__enter__ returns True");
                return lock.callMethod("locked").isTruthy();
            });
            assertTrue(inside, "the lock must be held inside with()");
            assertFalse(lock.callMethod("locked").isTruthy(), "the lock must be released after with()");
            // released when the body throws too
            assertThrows(IllegalStateException.class, () -> lock.with(v -> {
                throw new IllegalStateException();
            }));
            assertFalse(lock.callMethod("locked").isTruthy());
            // with try-with-resources
            try (PyContext ctx = lock.enterContext()) {
                assertTrue(lock.callMethod("locked").isTruthy());
                assertFalse(lock.callMethod("acquire", false).isTruthy(), "a second acquire must fail while held");
            }
            assertFalse(lock.callMethod("locked").isTruthy());
            // an RLock, nested
            PyObject rlock = py.importModule("threading").callMethod("RLock");
            String nested = rlock.with(a -> rlock.with(b -> rlock.repr()));
            assertTrue(nested.contains("count=2"), nested);
            assertTrue(rlock.repr().contains("unlocked"), rlock.repr());
            return null;
        });
    }

    @Test
    void contextlibManagers() {
        Python.attach(py -> {
            PyDict ns = ns(py, String.join("\n",
                    "import contextlib",
                    "events = []",
                    "@contextlib.contextmanager",
                    "def managed(x):",
                    "    events.append('before')",
                    "    try:",
                    "        yield x * 2",
                    "    except KeyError as e:",
                    "        events.append('handled ' + str(e))",
                    "    finally:",
                    "        events.append('after')",
                    ""));
            assertEquals(Long.valueOf(42), ns.getItem("managed").call(21).<Long>with(v -> v.toJava(Long.class)));
            // the generator catches the KeyError raised in Java: suppressed
            assertNull(ns.getItem("managed").call(1).with(v -> {
                throw new PyKeyError("k");
            }));
            assertEquals("['before', 'after', 'before', \"handled 'k'\", 'after']", ns.getItem("events").repr());
            // contextlib.suppress with a Java-raised ValueError
            assertNull(py.importModule("contextlib").callMethod("suppress", py.eval("ValueError")).with(v -> {
                throw new dev.pyjama.exceptions.PyValueError("ignored");
            }));
            return null;
        });
    }
}
