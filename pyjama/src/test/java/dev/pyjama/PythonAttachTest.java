package dev.pyjama;

import static dev.pyjama.testing.PyTesting.await;
import static dev.pyjama.testing.PyTesting.refcount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.exceptions.PyZeroDivisionError;
import dev.pyjama.testing.ForkedJvm;
import dev.pyjama.testing.ProbeMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Attach scopes: nesting, release of temporaries, confinement, threads, virtual threads, detach. */
class PythonAttachTest {

    @Test
    void attachReturnsTheLambdasValue() {
        long v = Python.attach(py -> py.eval("sum(range(10))").toJava(long.class));
        assertEquals(45L, v);
        String s = Python.attach(py -> py.eval("'py' + 'thon'").toJava(String.class));
        assertEquals("python", s);
        assertNull(Python.attach(py -> null));
    }

    @Test
    void attachPropagatesTheBodysException() {
        RuntimeException thrown = new RuntimeException("boom");
        RuntimeException e = assertThrows(RuntimeException.class, () -> Python.attach(py -> {
            throw thrown;
        }));
        assertSame(thrown, e);
        // The scope was closed and the GIL released: attaching again works.
        assertEquals(3L, (long) Python.<Long>attach(py -> py.eval("1 + 2").toJava(long.class)));
    }

    @Test
    void tryWithResourcesAttach() {
        PyObject escaped;
        try (Python py = Python.attach()) {
            escaped = py.eval("[1, 2, 3]");
            assertEquals(3, escaped.len());
            assertEquals("Python[open]", py.toString());
        }
        assertThrows(IllegalStateException.class, escaped::len);
    }

    @Test
    void closeIsIdempotent() {
        Python py = Python.attach();
        py.close();
        py.close();
        assertEquals("Python[closed]", py.toString());
        assertThrows(IllegalStateException.class, () -> py.eval("1"));
    }

    @Test
    void nestedAttachAndScope() {
        Python.attach(outer -> {
            PyObject list = outer.eval("[10, 20]");
            long fromInner = Python.attach(inner -> {
                // outer handles are usable in an inner scope
                assertEquals(2, list.len());
                PyObject x = inner.eval("5");
                return x.toJava(long.class) + list.getItem(0).toJava(long.class);
            });
            assertEquals(15, fromInner);
            String fromScope = outer.scope(inner -> {
                list.callMethod("append", 30);
                return inner.eval("'nested'").toJava(String.class);
            });
            assertEquals("nested", fromScope);
            assertEquals(3, list.len());
            // still attached after the nested scopes closed
            assertEquals(60, outer.eval("sum([10, 20, 30])").toJava(long.class));
            return null;
        });
    }

    @Test
    void innerHandleIsDeadAfterInnerScopeCloses() {
        Python.attach(outer -> {
            AtomicReference<PyObject> leaked = new AtomicReference<>();
            outer.scope(inner -> {
                leaked.set(inner.eval("object()"));
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get().repr());
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            // results of operations on an outer handle inside an inner scope belong to the inner scope
            PyObject list = outer.eval("[1, 2]");
            AtomicReference<PyObject> item = new AtomicReference<>();
            outer.scope(inner -> {
                item.set(list.getItem(0));
                assertEquals(1, item.get().toJava(long.class));
                return null;
            });
            assertThrows(IllegalStateException.class, () -> item.get().toJava(long.class));
            assertEquals(2, list.len());
            return null;
        });
    }

    @Test
    void temporariesAreReleasedWhenAScopeCloses() {
        Python.attach(py -> {
            py.run("_attach_rc_target = object()");
            PyObject target = py.eval("_attach_rc_target");
            long before = refcount(py, target);
            py.scope(inner -> {
                for (int i = 0; i < 1000; i++) {
                    inner.eval("_attach_rc_target");
                }
                assertEquals(before + 1000, refcount(inner, target));
                return null;
            });
            assertEquals(before, refcount(py, target));
            // the same with a nested try-with-resources attach
            try (Python inner = Python.attach()) {
                for (int i = 0; i < 500; i++) {
                    try (Py<PyObject> ref = target.unbind()) {
                        ref.bind(inner).close();
                    }
                    inner.eval("_attach_rc_target");
                }
                assertEquals(before + 500, refcount(inner, target));
            }
            assertEquals(before, refcount(py, target));
            py.run("del _attach_rc_target");
            return null;
        });
    }

    @Test
    void handleUsedAfterItsScopeClosedThrowsIllegalState() {
        PyObject obj = Python.attach(py -> py.eval("'text'"));
        assertThrows(IllegalStateException.class, obj::repr);
        assertThrows(IllegalStateException.class, () -> obj.getAttr("upper"));
        assertThrows(IllegalStateException.class, () -> obj.toJava(String.class));
        assertThrows(IllegalStateException.class, obj::unbind);
        // also when used inside a new attach: the handle's own scope is closed
        Python.attach(py -> {
            assertThrows(IllegalStateException.class, obj::len);
            assertThrows(IllegalStateException.class, () -> py.toPython(obj));
            return null;
        });
        // toString never throws
        assertTrue(obj.toString().contains("scope closed"), obj.toString());
    }

    @Test
    void closedPythonTokenThrowsIllegalState() {
        Python leaked = Python.attach(py -> py);
        assertThrows(IllegalStateException.class, () -> leaked.eval("1"));
        assertThrows(IllegalStateException.class, () -> leaked.importModule("sys"));
        assertThrows(IllegalStateException.class, () -> leaked.toPython(1));
    }

    @Test
    void handleUsedFromAnotherThreadThrowsWrongThread() throws Exception {
        Python.attach(py -> {
            PyObject obj = py.eval("[1, 2, 3]");
            AtomicReference<Throwable> seen = new AtomicReference<>();
            AtomicReference<String> text = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    text.set(obj.toString());
                    obj.len();
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            t.start();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertInstanceOf(WrongThreadException.class, seen.get());
            assertTrue(text.get().startsWith("<Python object at 0x"), text.get());
            // the token itself is confined too
            AtomicReference<Throwable> seen2 = new AtomicReference<>();
            Thread t2 = new Thread(() -> {
                try {
                    py.eval("1");
                } catch (Throwable e) {
                    seen2.set(e);
                }
            });
            t2.start();
            try {
                t2.join(10_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertInstanceOf(WrongThreadException.class, seen2.get());
            // and the handle still works on its own thread
            assertEquals(3, obj.len());
            return null;
        });
    }

    @Test
    void earlyCloseReleasesAndThenThrows() {
        Python.attach(py -> {
            py.run("_attach_close_target = object()");
            PyObject keep = py.eval("_attach_close_target");
            long before = refcount(py, keep);
            PyObject h = py.eval("_attach_close_target");
            assertEquals(before + 1, refcount(py, keep));
            h.close();
            assertEquals(before, refcount(py, keep));
            h.close(); // idempotent
            assertEquals(before, refcount(py, keep));
            IllegalStateException e = assertThrows(IllegalStateException.class, h::repr);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertEquals(before, refcount(py, keep));
            py.run("del _attach_close_target");
            return null;
        });
    }

    @Test
    void initialisingThreadDoesNotKeepTheGil() {
        // In a fresh JVM, so the thread under test is certainly the one that started CPython.
        ForkedJvm.Result r = ForkedJvm.of(ProbeMain.class).args("gil-handoff")
                .sysProp("pyjama.python", configured()).timeout(60).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("42,42", r.value("gil-handoff"), r.describe());
    }

    @Test
    void anotherThreadCanAttachWhileThisOneIdles() {
        assertEquals(2L, (long) Python.<Long>attach(py -> py.eval("1 + 1").toJava(long.class)));
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong result = new AtomicLong();
        Thread t = new Thread(() -> {
            result.set(Python.attach(py -> py.eval("40 + 2").toJava(long.class)));
            done.countDown();
        });
        t.setDaemon(true);
        t.start();
        await(done, 20, "another platform thread to attach");
        assertEquals(42L, result.get());
    }

    @Test
    void eightPlatformThreadsThousandCallsEach() throws Exception {
        Py<PyObject> fn = Python.attach(py -> py.eval("lambda a, b: a * 1000003 + b * b").unbind());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final long a = t;
                futures.add(pool.submit(() -> {
                    long errors = 0;
                    for (long b = 0; b < 1000; b++) {
                        final long bb = b;
                        long got = Python.attach(py -> fn.bind(py).call(a, bb).toJava(long.class));
                        if (got != a * 1000003 + bb * bb) {
                            errors++;
                        }
                    }
                    return errors;
                }));
            }
            for (Future<Long> f : futures) {
                assertEquals(0L, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            fn.close();
        }
    }

    @Test
    void virtualThreadCanAttachWithALambda() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                result.set(Python.attach(py -> py.eval("'%s-%d' % ('vt', 7)").toJava(String.class)));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        assertTrue(vt.join(java.time.Duration.ofSeconds(30)), "virtual thread did not finish");
        assertEquals("vt-7", result.get());
    }

    @Test
    void virtualThreadAttachPropagatesPythonExceptions() throws Exception {
        AtomicReference<Throwable> result = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                Python.attach(py -> py.eval("1 / 0"));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        assertTrue(vt.join(java.time.Duration.ofSeconds(30)), "virtual thread did not finish");
        assertInstanceOf(PyZeroDivisionError.class, result.get());
    }

    @Test
    void thousandVirtualThreads() throws Exception {
        Py<PyObject> fn = Python.attach(py -> py.eval("lambda i: i * i + 1").unbind());
        try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                final long n = i;
                futures.add(vts.submit(() -> Python.attach(py -> fn.bind(py).call(n).toJava(long.class))));
            }
            for (int i = 0; i < 1000; i++) {
                assertEquals((long) i * i + 1, futures.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            fn.close();
        }
    }

    @Test
    void tryWithResourcesAttachOnAVirtualThreadIsRefused() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try (Python py = Python.attach()) {
                seen.set(new AssertionError("attached: " + py));
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        assertTrue(vt.join(java.time.Duration.ofSeconds(30)));
        assertInstanceOf(UnsupportedOperationException.class, seen.get());
        assertTrue(seen.get().getMessage().contains("Python.attach(py -> ...)"), seen.get().getMessage());
    }

    @Test
    void detachLetsAnotherThreadRunPython() {
        Python.attach(py -> {
            PyObject outer = py.eval("[1, 2, 3]");
            AtomicLong other = new AtomicLong();
            AtomicReference<Throwable> insideFailure = new AtomicReference<>();
            String r = py.detach(() -> {
                CountDownLatch done = new CountDownLatch(1);
                Thread t = new Thread(() -> {
                    try {
                        other.set(Python.attach(p2 -> p2.eval("sum(range(100))").toJava(long.class)));
                    } finally {
                        done.countDown();
                    }
                });
                t.setDaemon(true);
                t.start();
                // If detach did not release the GIL, the other thread could not finish.
                await(done, 20, "another thread to attach while this one is detached");
                try {
                    outer.len();
                    insideFailure.set(new AssertionError("outer handle usable inside detach"));
                } catch (IllegalStateException expected) {
                    // right
                } catch (Throwable e) {
                    insideFailure.set(e);
                }
                try {
                    py.eval("1");
                    insideFailure.set(new AssertionError("outer token usable inside detach"));
                } catch (IllegalStateException expected) {
                    // right
                } catch (Throwable e) {
                    insideFailure.set(e);
                }
                // attaching again inside the block works, and its handles are its own
                long inner = Python.attach(p3 -> p3.eval("7 * 6").toJava(long.class));
                return "back-" + inner;
            });
            assertNull(insideFailure.get(), () -> String.valueOf(insideFailure.get()));
            assertEquals("back-42", r);
            assertEquals(4950L, other.get());
            // re-attached: outer handles and the token work again
            assertEquals(3, outer.len());
            assertEquals(2L, py.eval("1 + 1").toJava(long.class));
            return null;
        });
    }

    @Test
    void detachReattachesWhenTheBodyThrows() {
        Python.attach(py -> {
            PyObject outer = py.eval("{'k': 'v'}");
            IllegalArgumentException thrown = new IllegalArgumentException("from detached body");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> py.detach(() -> {
                throw thrown;
            }));
            assertSame(thrown, e);
            assertEquals("v", outer.getItem("k").toJava(String.class));
            assertEquals(9L, py.eval("3 * 3").toJava(long.class));
            return null;
        });
        // and the GIL was released at the end: another thread can still attach
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            Python.attach(py -> py.eval("None"));
            done.countDown();
        });
        t.setDaemon(true);
        t.start();
        await(done, 20, "another thread to attach after a detach that threw");
    }

    @Test
    void detachClosesScopesLeftOpenInsideIt() {
        Python.attach(py -> {
            AtomicReference<PyObject> leaked = new AtomicReference<>();
            py.detach(() -> {
                Python inner = Python.attach();
                leaked.set(inner.eval("object()"));
                return null; // inner left open on purpose
            });
            assertThrows(IllegalStateException.class, () -> leaked.get().repr());
            assertNotNull(py.eval("1"));
            return null;
        });
    }

    private static String configured() {
        String p = dev.pyjama.testing.PyTesting.configuredPython();
        return p == null ? "" : p;
    }
}
