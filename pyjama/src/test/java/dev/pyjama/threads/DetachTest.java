package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code py.detach(...)}: the GIL is really released, taken back in every case, and the outer scope is fenced off. */
class DetachTest {

    private static boolean freeThreaded() {
        return Python.attach(py -> py.eval("bool(__import__('sysconfig').get_config_var('Py_GIL_DISABLED'))")
                .toJava(boolean.class));
    }

    /** Thread B attaches (when A is detached) and counts down; returns B's timestamp after its Python ran. */
    private static Thread startB(CountDownLatch aDetached, CountDownLatch bDone, AtomicLong bRanAt,
            AtomicReference<Throwable> bError) {
        Thread b = new Thread(() -> {
            try {
                if (!aDetached.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("A never detached");
                }
                long v = Python.attach(py -> py.eval("sum(range(1000))").toJava(long.class));
                bRanAt.set(System.nanoTime());
                if (v != 499500) {
                    throw new AssertionError("B got " + v);
                }
            } catch (Throwable e) {
                bError.set(e);
            } finally {
                bDone.countDown();
            }
        }, "detach-B");
        b.setDaemon(true);
        b.start();
        return b;
    }

    @Test
    void anotherThreadRunsPythonWhileThisOneIsDetached() {
        CountDownLatch aDetached = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        AtomicLong bRanAt = new AtomicLong();
        AtomicReference<Throwable> bError = new AtomicReference<>();
        Thread b = startB(aDetached, bDone, bRanAt, bError);
        long[] times = new long[3]; // detached at, B seen done (inside the block), re-attached at
        AtomicBoolean bFinishedInside = new AtomicBoolean();
        long after = Python.attach(py -> {
            PyObject list = py.eval("[1, 2, 3]");
            boolean ok = py.detach(() -> {
                times[0] = System.nanoTime();
                aDetached.countDown();
                try {
                    // If detach kept the GIL, B could not run Python and this wait runs out.
                    return bDone.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    times[1] = System.nanoTime();
                }
            });
            times[2] = System.nanoTime();
            bFinishedInside.set(ok);
            // back in Python with the outer scope's objects
            return list.len() + py.eval("len([0] * 5)").toJava(long.class);
        });
        Watchdog.join(b, 10, "thread B");
        assertEquals(null, bError.get());
        assertTrue(bFinishedInside.get(), "B could not run Python within 10 s while A was detached");
        assertTrue(bRanAt.get() > times[0], "B's Python ran before A detached");
        assertTrue(bRanAt.get() < times[2], "B's Python did not run before A re-attached");
        assertEquals(8, after);
    }

    /**
     * The control that gives the previous test its meaning: without detach, a thread that holds the
     * GIL in Java code keeps every other thread out of Python (GIL builds only).
     */
    @Test
    void withoutDetachAnotherThreadWaitsForTheGil() {
        if (freeThreaded()) {
            return; // no GIL to wait for
        }
        CountDownLatch aAttached = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        AtomicLong bRanAt = new AtomicLong();
        AtomicReference<Throwable> bError = new AtomicReference<>();
        Thread b = startB(aAttached, bDone, bRanAt, bError);
        long[] stoppedWaitingAt = new long[1];
        boolean bRanWhileAttached = Python.attach(py -> {
            aAttached.countDown();
            try {
                return bDone.await(300, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            } finally {
                stoppedWaitingAt[0] = System.nanoTime(); // still holding the GIL
            }
        });
        Watchdog.join(b, 10, "thread B");
        assertEquals(null, bError.get());
        assertFalse(bRanWhileAttached, "B ran Python while A held the GIL in Java code");
        assertTrue(bRanAt.get() > stoppedWaitingAt[0], "B ran Python while A still held the GIL");
    }

    @Test
    void detachTakesTheGilBackWhenTheBodyThrows() {
        Python.attach(py -> {
            PyObject list = py.eval("[1, 2, 3]");
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> py.detach(() -> {
                        throw boom;
                    }));
            assertSame(boom, thrown);
            AssertionError err = new AssertionError("error");
            assertSame(err, assertThrows(AssertionError.class, () -> py.detach(() -> {
                throw err;
            })));
            // attached again: the outer scope, its objects and new Python calls all work
            assertEquals(3, list.len());
            assertEquals(1L, py.eval("__import__('ctypes').pythonapi.PyGILState_Check()").toJava(long.class));
            list.callMethod("append", 4);
            assertEquals("[1, 2, 3, 4]", list.repr());
            return null;
        });
        // and the GIL was released at the end: another thread can attach
        assertOtherThreadCanAttach();
    }

    @Test
    void outerHandlesThrowInsideTheDetachedBlock() {
        Python.attach(py -> {
            PyObject list = py.eval("[1, 2, 3]");
            Py<PyObject> unbound = list.unbind();
            PyObject inner = py.scope(s -> {
                PyObject x = s.eval("'inner'");
                s.detach(() -> {
                    assertThrows(IllegalStateException.class, x::repr);
                    assertThrows(IllegalStateException.class, list::len);
                    assertThrows(IllegalStateException.class, () -> s.eval("1"));
                    return null;
                });
                return null;
            });
            py.detach(() -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, list::len);
                assertTrue(e.getMessage().contains("detach"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> py.eval("1 + 1"));
                assertThrows(IllegalStateException.class, () -> py.run("x = 1"));
                assertThrows(IllegalStateException.class, () -> py.importModule("sys"));
                assertThrows(IllegalStateException.class, () -> py.toPython(1));
                assertThrows(IllegalStateException.class, () -> unbound.bind(py));
                assertThrows(IllegalStateException.class, () -> py.detach(() -> 1));
                assertThrows(IllegalStateException.class, () -> list.callMethod("append", 4));
                assertThrows(IllegalStateException.class, list::repr);
                // a new attach inside the block works, and still cannot use the outer handle
                long n = Python.attach(p2 -> {
                    assertThrows(IllegalStateException.class, list::len);
                    assertThrows(IllegalStateException.class, () -> py.eval("1"));
                    return unbound.bind(p2).len();
                });
                assertEquals(3, n);
                return null;
            });
            assertEquals(null, inner);
            assertEquals(3, list.len());
            unbound.close();
            return null;
        });
    }

    @Test
    void attachingAgainInsideTheDetachedBlockWorks() {
        long r = Python.attach(py -> {
            PyObject base = py.eval("10");
            long inside = py.detach(() -> {
                long a = Python.attach(p2 -> p2.eval("6 * 7").toJava(long.class));
                long b;
                try (Python p3 = Python.attach()) {
                    b = p3.eval("[1, 2]").len();
                    // detach nested in an attach nested in a detach
                    b += p3.detach(() -> Python.attach(p4 -> p4.eval("100").toJava(long.class)));
                    b += p3.eval("1").toJava(long.class);
                }
                return a + b;
            });
            return inside + base.toJava(long.class);
        });
        assertEquals(42 + 2 + 100 + 1 + 10, r);
        assertOtherThreadCanAttach();
    }

    @Test
    void scopeLeftOpenInsideTheDetachedBlockIsClosedWithIt() {
        AtomicReference<PyObject> leaked = new AtomicReference<>();
        long r = Python.attach(py -> {
            PyObject outer = py.eval("'outer'");
            py.detach(() -> {
                Python p2 = Python.attach(); // never closed by the body
                leaked.set(p2.eval("[1]"));
                return null;
            });
            assertThrows(IllegalStateException.class, () -> leaked.get().len());
            return outer.len();
        });
        assertEquals(5, r);
        assertOtherThreadCanAttach();
    }

    @Test
    void detachFromAnotherThreadIsRefused() throws Exception {
        Python.attach(py -> {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    py.detach(() -> 1);
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            t.start();
            Watchdog.join(t, 10, "detach from another thread");
            assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
            return null;
        });
    }

    private static void assertOtherThreadCanAttach() {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong v = new AtomicLong();
        Thread t = new Thread(() -> {
            v.set(Python.attach(p -> p.eval("2 ** 10").toJava(long.class)));
            done.countDown();
        });
        t.setDaemon(true);
        t.start();
        Watchdog.await(done, 10, "another thread attaching (the GIL should have been released)");
        assertEquals(1024, v.get());
    }
}
