package dev.pyjama.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.JavaCallable;
import dev.pyjama.PyCallable;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyNameError;
import dev.pyjama.internal.runtime.Upcalls;
import dev.pyjama.testing.PyTesting;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The Java body of a Python function is released when Python drops the last reference to it. */
class FunctionReleaseTest {

    private static void gcCollect(Python py) {
        py.run("import gc; gc.collect()");
    }

    @Test
    void bodyIsLiveWhileTheFunctionExistsAndReleasedAfter() {
        Function<PyObject, Object> body = x -> x;
        Python.attach(py -> {
            py.scope(inner -> {
                PyCallable f = inner.function("tmp", body);
                assertEquals(5L, f.call(5).toJava(long.class));
                assertTrue(Upcalls.isLive(body), "the body must be live while Python holds the function");
                return null;
            });
            gcCollect(py);
            assertFalse(Upcalls.isLive(body), "the body must be released when the scope released the function");
            return null;
        });
    }

    /**
     * The same once another thread has attached. From then on a free-threaded CPython 3.13 makes
     * every object whose references it counts in the deferred way (modules, Python functions, code
     * objects, heap types) immortal when it is made ({@code _PyThreadState_NewBound} in
     * Python/pystate.c calls {@code _PyGC_ImmortalizeDeferredObjects}): a Java function must not
     * hang its release on such an object dying. Other tests of this class pass or fail with it
     * depending on whether an earlier test in the JVM attached another thread; this one does not.
     */
    @Test
    void bodyIsReleasedAfterAnotherThreadHasAttached() throws InterruptedException {
        Thread other = Thread.ofPlatform().name("function-release-other").start(() -> Python.attach(py -> py.eval("1")));
        other.join();
        Function<PyObject, Object> body = x -> x;
        Python.attach(py -> {
            py.scope(inner -> {
                PyCallable f = inner.function("tmp", body);
                assertEquals(5L, f.call(5).toJava(long.class));
                assertTrue(Upcalls.isLive(body), "the body must be live while Python holds the function");
                return null;
            });
            gcCollect(py);
            assertFalse(Upcalls.isLive(body), "the body must be released when the scope released the function");
            return null;
        });
    }

    /** A function made after another was released runs its own body (a free-threaded build reuses the released one's self). */
    @Test
    void aFunctionMadeAfterARelease() {
        Python.attach(py -> {
            for (int i = 0; i < 20; i++) {
                final int n = i;
                long got = py.scope(inner -> inner.function("f" + n, () -> n).call().toJava(long.class));
                assertEquals(n, got);
                gcCollect(py);
            }
            PyCallable a = py.function("a", () -> "a");
            PyCallable b = py.function("b", () -> "b");
            assertEquals("a", a.call().toJava(String.class));
            assertEquals("b", b.call().toJava(String.class));
            assertEquals("java", py.eval("lambda f: f.__module__").call(b).toJava(String.class));
            return null;
        });
    }

    /** Replacing a Java function's {@code __module__} neither breaks it nor hands its body to another function. */
    @Test
    void replacingTheModuleKeepsTheFunctionWorking() {
        Supplier<Object> body = () -> "still";
        Python.attach(py -> {
            PyCallable f = py.function("m", body);
            py.eval("lambda f: setattr(f, '__module__', 'elsewhere')").call(f);
            gcCollect(py);
            assertTrue(Upcalls.isLive(body), "released while the function lives");
            PyCallable g = py.function("other", () -> "other");
            assertEquals("still", f.call().toJava(String.class));
            assertEquals("other", g.call().toJava(String.class));
            return null;
        });
    }

    /**
     * A Java function held only by an object in a reference cycle whose {@code __del__} calls it:
     * the collector runs that finalizer before it frees the function, so the body must still be
     * there then, and released after.
     */
    @Test
    void aFinalizerInACycleCanStillCallIt() {
        Supplier<Object> body = () -> "from the finalizer";
        Python.attach(py -> {
            py.run("class _FrHolder:\n"
                    + "    def __init__(self, f):\n"
                    + "        self.f = f\n"
                    + "        self.me = self\n"
                    + "    def __del__(self):\n"
                    + "        _fr_seen.append(self.f())\n"
                    + "_fr_seen = []\n");
            py.scope(inner -> {
                inner.eval("_FrHolder").call(inner.function("fin", body));
                return null;
            });
            assertTrue(Upcalls.isLive(body), "the cycle still holds the function");
            gcCollect(py);
            assertEquals("['from the finalizer']", py.eval("_fr_seen").repr());
            gcCollect(py);
            assertFalse(Upcalls.isLive(body), "released once the cycle was collected");
            return null;
        });
    }

    @Test
    void everyFormIsReleased() {
        Supplier<Object> s = () -> 1;
        Function<PyObject, Object> f1 = x -> x;
        BiFunction<PyObject, PyObject, Object> f2 = (a, b) -> a;
        JavaCallable jc = (p, a, k) -> a;
        JavaCallable sig = (p, a, k) -> a;
        Python.attach(py -> {
            py.scope(inner -> {
                inner.function("s", s);
                inner.function("f1", f1);
                inner.function("f2", f2);
                inner.function("jc", jc);
                inner.function("sig", "a, *, b=1", "doc", sig);
                for (Object body : new Object[] {s, f1, f2, jc, sig}) {
                    assertTrue(Upcalls.isLive(body), "live: " + body);
                }
                return null;
            });
            gcCollect(py);
            for (Object body : new Object[] {s, f1, f2, jc, sig}) {
                assertFalse(Upcalls.isLive(body), "released: " + body);
            }
            return null;
        });
    }

    @Test
    void liveFunctionsCountsUp() {
        Python.attach(py -> {
            gcCollect(py);
            int base = Upcalls.liveFunctions();
            py.scope(inner -> {
                for (int i = 0; i < 50; i++) {
                    final int n = i;
                    inner.function("f" + i, () -> n);
                }
                assertEquals(base + 50, Upcalls.liveFunctions());
                return null;
            });
            gcCollect(py);
            assertEquals(base, Upcalls.liveFunctions());
            return null;
        });
    }

    /** Creates a function whose lambda captures a fresh object, and returns only a weak reference to that object. */
    private static WeakReference<Object> functionCapturing(Python py, String global) {
        Object captured = new Object() {
            @Override
            public String toString() {
                return "captured";
            }
        };
        PyCallable f = py.function("capturing", () -> captured.toString());
        if (global != null) {
            py.importModule("__main__").setAttr(global, f);
        }
        return new WeakReference<>(captured);
    }

    @Test
    void capturedObjectBecomesCollectable() {
        WeakReference<Object> ref = Python.attach(py -> {
            WeakReference<Object> r = py.scope(inner -> functionCapturing(inner, null));
            gcCollect(py);
            return r;
        });
        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(5), () -> ref.get() == null),
                "the lambda's captured object is still reachable after Python released the function");
    }

    @Test
    void functionInGlobalStaysAliveUntilDeleted() {
        WeakReference<Object> ref = Python.attach(py -> {
            WeakReference<Object> r = py.scope(inner -> functionCapturing(inner, "_release_test_keeper"));
            gcCollect(py);
            return r;
        });
        // other scopes, other attaches: the global still holds it
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        assertTrue(ref.get() != null, "released while a Python global holds the function");
        Python.attach(py -> {
            assertEquals("captured", py.eval("_release_test_keeper()").toJava(String.class));
            py.run("del _release_test_keeper");
            gcCollect(py);
            assertThrows(PyNameError.class, () -> py.eval("_release_test_keeper"));
            return null;
        });
        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(5), () -> ref.get() == null),
                "the captured object is still reachable after the global was deleted");
    }

    @Test
    void functionInGlobalIsLiveByBody() {
        Supplier<Object> body = () -> "kept";
        Python.attach(py -> {
            PyModule main = py.importModule("__main__");
            py.scope(inner -> {
                main.setAttr("_release_test_body", inner.function("kept", body));
                return null;
            });
            gcCollect(py);
            assertTrue(Upcalls.isLive(body));
            assertEquals("kept", py.eval("_release_test_body()").toJava(String.class));
            main.delAttr("_release_test_body");
            gcCollect(py);
            assertFalse(Upcalls.isLive(body));
            return null;
        });
    }

    @Test
    void iteratorAndIterableAdaptersAreReleased() {
        Python.attach(py -> {
            gcCollect(py);
            int base = Upcalls.liveFunctions();
            py.scope(inner -> {
                PyObject it = inner.iterator(java.util.List.of(1, 2).iterator());
                PyObject iterable = inner.iterable(java.util.List.of(1, 2));
                assertEquals("[1, 2]", inner.eval("list").call(it).repr());
                assertEquals("[1, 2]", inner.eval("list").call(iterable).repr());
                return null;
            });
            gcCollect(py);
            assertEquals(base, Upcalls.liveFunctions());
            return null;
        });
    }
}
