package dev.pyjama.objects;

import static dev.pyjama.testing.PyTesting.refcount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.internal.runtime.ReleaseQueue;
import dev.pyjama.testing.PyTesting;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Py}: unbound references that outlive scopes and move between threads. */
class PyReferenceTest {

    private static final String PROBE = "import threading\n"
            + "class _PrDel:\n"
            + "    def __del__(self):\n"
            + "        _pr_del_log.append(threading.get_ident())\n"
            + "_pr_del_log = []\n"
            + "_pr_probe = object()\n";

    private static <T> T onNewPlatformThread(Supplier<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("py-reference-test").start(() -> {
            try {
                f.complete(body.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            T result = f.get(20, TimeUnit.SECONDS);
            t.join(5000);
            return result;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("thread did not finish", e);
        }
    }

    private static long probeRefcount() {
        return Python.attach(py -> refcount(py, py.eval("_pr_probe")));
    }

    @Test
    void unbindThenBindOnAnotherPlatformThread() {
        Python.attach(py -> {
            py.run(PROBE);
            return null;
        });
        long before = probeRefcount();
        Py<PyObject> list = Python.attach(py -> py.list(py.eval("_pr_probe"), "x").unbind());
        assertEquals(before + 1, probeRefcount(), "the list outlives its scope through the Py");
        String seen = onNewPlatformThread(() -> Python.attach(py -> {
            PyObject bound = list.bind(py);
            assertInstanceOf(PyList.class, bound, "bind gives the handle class that was unbound");
            PyList l = (PyList) bound;
            l.append("from the other thread");
            return l.get(1).toJava(String.class) + "/" + l.size();
        }));
        assertEquals("x/3", seen);
        // the other thread's scope released its handle; the Py still holds the list
        assertEquals(before + 1, probeRefcount());
        Python.attach(py -> {
            assertEquals("['x', 'from the other thread']", list.bind(py).as(PyList.class).slice(1, 3).repr());
            return null;
        });
        onNewPlatformThread(() -> {
            list.close(); // from a thread that is not attached
            return null;
        });
        assertTrue(list.isClosed());
        assertEquals(before, probeRefcount());
    }

    @Test
    void aHandleUsedOnAnotherThreadThrowsWrongThread() {
        try (Python py = Python.attach()) {
            PyObject l = py.list(1L);
            Py<PyObject> ref = l.unbind();
            Throwable t = onNewPlatformThread(() -> {
                try {
                    l.len();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertInstanceOf(WrongThreadException.class, t);
            Throwable t2 = onNewPlatformThread(() -> {
                try {
                    ref.bind(py);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertInstanceOf(WrongThreadException.class, t2, "bind with another thread's token");
            ref.close();
        }
    }

    /**
     * close() on a thread that is not attached releases the reference at once (attaching briefly),
     * not at some later attach: the object's {@code __del__} runs on the closing thread. On a
     * free-threaded build that holds for an object the closing thread made; one another thread made
     * is freed by that thread (see {@link PyTesting#mergeHandedOffReleases}).
     */
    @Test
    void closeOnAnUnattachedThreadReleasesAtOnce() {
        Py<PyObject> ref = Python.attach(py -> {
            py.run(PROBE);
            return py.eval("_PrDel()").unbind();
        });
        long[] closerIdent = new long[1];
        onNewPlatformThread(() -> {
            closerIdent[0] = Python.attach(py -> py.eval("threading.get_ident()").toJava(long.class));
            ref.close();
            return null;
        });
        if (!PyTesting.freeThreaded()) {
            List<Long> log = Python.attach(py -> py.eval("_pr_del_log").as(PyList.class).toList(Long.class));
            long mainIdent = Python.attach(py -> py.eval("threading.get_ident()").toJava(long.class));
            assertEquals(List.of(closerIdent[0]), log, "released on the closing thread (main thread is " + mainIdent + ")");
        } else {
            // The main thread made it: the closing thread's release went to the main thread's queue,
            // applied when it next runs Python.
            long mainIdent = Python.attach(py -> {
                PyTesting.mergeHandedOffReleases(py);
                return py.eval("threading.get_ident()").toJava(long.class);
            });
            List<Long> log = Python.attach(py -> py.eval("_pr_del_log").as(PyList.class).toList(Long.class));
            assertEquals(List.of(mainIdent), log, "released on the thread that made it (the closing thread is "
                    + closerIdent[0] + ")");
            // Made by the closing thread itself: released there, at once.
            Python.attach(py -> {
                py.run("_pr_del_log.clear()");
                return null;
            });
            long[] makerIdent = new long[1];
            onNewPlatformThread(() -> {
                Py<PyObject> own = Python.attach(py -> {
                    makerIdent[0] = py.eval("threading.get_ident()").toJava(long.class);
                    return py.eval("_PrDel()").unbind();
                });
                own.close();
                return null;
            });
            List<Long> ownLog = Python.attach(py -> py.eval("_pr_del_log").as(PyList.class).toList(Long.class));
            assertEquals(List.of(makerIdent[0]), ownLog, "released on the closing thread, which made it");
        }
        ref.close(); // idempotent
        assertTrue(ref.isClosed());
    }

    @Test
    void bindAfterCloseThrows() {
        try (Python py = Python.attach()) {
            Py<PyObject> ref = py.str("s").unbind();
            assertFalse(ref.isClosed());
            ref.close();
            assertTrue(ref.isClosed());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ref.bind(py));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        Py<PyObject> ref = Python.attach(py -> py.str("t").unbind());
        Python closed = Python.attach();
        closed.close();
        assertThrows(IllegalStateException.class, () -> ref.bind(closed), "bind with a closed token");
        ref.close();
    }

    /**
     * toString describes the reference without Python: it completes on another thread while this
     * thread holds the GIL (a Python call there would have to wait for the GIL).
     */
    @Test
    void toStringNeverCallsPython() {
        try (Python py = Python.attach()) {
            Py<PyObject> ref = py.list(1L).unbind();
            String s = onNewPlatformThread(ref::toString);
            assertTrue(s.startsWith("Py<PyList>[0x"), s);
            assertFalse(s.contains("closed"), s);
            ref.close();
            String c = onNewPlatformThread(ref::toString);
            assertTrue(c.contains("closed"), c);
        }
    }

    private static WeakReference<Py<PyObject>> dropOne() {
        Py<PyObject> ref = Python.attach(py -> py.eval("_pr_probe").unbind());
        return new WeakReference<>(ref);
    }

    /**
     * A Py that is never closed is released after the GC finds it unreachable, by the next attach
     * (the Cleaner only queues it). While this thread holds the GIL, the Cleaner cannot release it.
     */
    @Test
    void aDroppedPyIsReleasedOnTheNextAttach() {
        Python.attach(py -> {
            py.run(PROBE);
            return null;
        });
        long before = probeRefcount();
        WeakReference<Py<PyObject>> weak = dropOne();
        try (Python py = Python.attach()) {
            PyObject probe = py.eval("_pr_probe"); // like probeRefcount(), measured through one handle
            assertEquals(before + 1, refcount(py, probe), "the dropped Py still holds its reference");
            // attached (GIL held): let the GC and the Cleaner find the Py
            assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(10),
                    () -> weak.get() == null && ReleaseQueue.pendingCount() > 0), "the Py was not collected");
            assertEquals(before + 1, refcount(py, probe),
                    "no release while this thread stays attached: the Cleaner thread must not call Python");
        }
        // the next outermost attach applies the queued release
        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(10), () -> probeRefcount() == before),
                "refcount did not come back to " + before + ": " + probeRefcount());
    }

    @Test
    void aPyOutlivesTheThreadThatMadeIt() {
        Python.attach(py -> {
            py.run(PROBE);
            return null;
        });
        long before = probeRefcount();
        AtomicReference<Py<PyObject>> made = new AtomicReference<>();
        onNewPlatformThread(() -> {
            made.set(Python.attach(py -> py.eval("[_pr_probe]").unbind()));
            return null;
        });
        Py<PyObject> ref = made.get();
        assertEquals(before + 1, probeRefcount());
        try (Python py = Python.attach()) {
            long len = py.scope(in -> ref.bind(in).len());
            assertEquals(1, len);
        }
        ref.close();
        // On a free-threaded build the thread that made the list still counts it as its own and
        // never runs Python again: the release waits in its queue until a collection.
        Python.attach(py -> {
            PyTesting.mergeHandedOffReleases(py);
            return null;
        });
        assertEquals(before, probeRefcount());
    }
}
