package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyDict;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.testing.PyTesting;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Python#criticalSection}: the body's result and exceptions pass through, sections nest,
 * and while the body holds an object's section no other thread's write to it gets in (on a
 * free-threaded build through the object's lock, with the GIL through the GIL). Python threads
 * write to lists and a dict meanwhile; the body reads only sizes, which CPython reads without the
 * lock, so the measurement does not itself release the section (see the method's Javadoc).
 */
class CriticalSectionTest {

    /** Python threads that append to {@code _cs_a}, {@code _cs_b} and write {@code _cs_d} until stopped. */
    private static final String WRITERS = String.join("\n",
            "import threading",
            "_cs_a, _cs_b, _cs_d = [], [], {}",
            "_cs_stop = threading.Event()",
            "def _cs_write(target):",
            "    i = 0",
            "    while not _cs_stop.is_set():",
            "        i += 1",
            "        if isinstance(target, dict):",
            "            target[i % 5000] = i",
            "            if i % 3 == 0:",
            "                target.pop((i * 7) % 5000, None)",
            "        else:",
            "            target.append(i)",
            "            if len(target) > 20000:",
            "                del target[:10000]",
            "_cs_threads = [threading.Thread(target=_cs_write, args=(t,)) for t in (_cs_a, _cs_b, _cs_d)]",
            "for t in _cs_threads:",
            "    t.start()",
            "");

    /** Runs {@code body} with the writers running, then stops them. */
    private static <T> T withWriters(Function<Python, T> body) {
        Python.attach(py -> {
            py.run(WRITERS);
            return null;
        });
        try {
            return Python.attach(py -> {
                assertTrue(eventually(py, () -> py.eval("len(_cs_a) > 0 and len(_cs_b) > 0 and len(_cs_d) > 0")
                        .toJava(boolean.class)), "the writers did not start");
                return body.apply(py);
            });
        } finally {
            Python.attach(py -> {
                py.run("_cs_stop.set()\nfor t in _cs_threads:\n    t.join()\n");
                return null;
            });
        }
    }

    /** Polls {@code condition} (attached), pausing detached for 10 ms between polls, for up to 10 s. */
    private static boolean eventually(Python py, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            py.detach(() -> {
                OnceCellTest.sleep(10);
                return null;
            });
        }
        return true;
    }

    /** The distinct values {@code size} returns when read repeatedly for {@code millis}. */
    private static TreeSet<Integer> sizesFor(long millis, java.util.function.IntSupplier size) {
        TreeSet<Integer> seen = new TreeSet<>();
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            seen.add(size.getAsInt());
        }
        return seen;
    }

    @Test
    void noOtherThreadWritesWhileTheBodyHoldsTheSection() {
        withWriters(py -> {
            PyList a = py.eval("_cs_a").as(PyList.class);
            PyDict d = py.eval("_cs_d").as(PyDict.class);
            if (PyTesting.freeThreaded()) {
                // The control: without a section the writers' changes show (with the GIL they
                // could not run while this thread holds it, so there is nothing to control).
                assertTrue(sizesFor(300, a::size).size() > 1, "the list did not change without a section: no writer ran");
            }
            TreeSet<Integer> inside = py.criticalSection(a, () -> sizesFor(300, a::size));
            assertEquals(1, inside.size(), "the list changed while its section was held: " + inside);
            TreeSet<Integer> dictInside = py.criticalSection(d, () -> sizesFor(300, d::size));
            assertEquals(1, dictInside.size(), "the dict changed while its section was held: " + dictInside);
            // released when the body returns: the writers go on
            int before = a.size();
            assertTrue(eventually(py, () -> a.size() != before), "the writer did not go on after the section");
            return null;
        });
    }

    @Test
    void twoObjectsAtOnce() {
        withWriters(py -> {
            PyList a = py.eval("_cs_a").as(PyList.class);
            PyList b = py.eval("_cs_b").as(PyList.class);
            List<TreeSet<Integer>> inside = py.criticalSection(a, b, () -> {
                TreeSet<Integer> as = new TreeSet<>();
                TreeSet<Integer> bs = new TreeSet<>();
                long end = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < end) {
                    as.add(a.size());
                    bs.add(b.size());
                }
                return List.of(as, bs);
            });
            assertEquals(1, inside.get(0).size(), "the first list changed inside the section: " + inside.get(0));
            assertEquals(1, inside.get(1).size(), "the second list changed inside the section: " + inside.get(1));
            // the same object twice is one lock, not a deadlock
            assertEquals(7L, (long) py.criticalSection(a, a, () -> 7L));
            return null;
        });
    }

    @Test
    void aDetachInsideTheBodySuspendsTheSectionAndTheBodyGetsItBack() {
        withWriters(py -> {
            PyList a = py.eval("_cs_a").as(PyList.class);
            List<Object> r = py.criticalSection(a, () -> {
                int before = a.size();
                // detached, the thread holds no section (and no GIL): the writer goes on
                boolean moved = py.detach(() -> Python.attach(p2 -> eventually(p2,
                        () -> p2.eval("len(_cs_a)").toJava(int.class) != before)));
                // attached again, the section is held again
                TreeSet<Integer> after = sizesFor(300, a::size);
                return List.of(moved, after);
            });
            assertEquals(true, r.get(0), "the writer could not write while the section's thread was detached");
            assertEquals(1, ((TreeSet<?>) r.get(1)).size(), "the section was not taken again after the detach: " + r.get(1));
            return null;
        });
    }

    @Test
    void resultsExceptionsAndNesting() {
        Python.attach(py -> {
            PyList a = py.list(1, 2, 3);
            PyDict d = py.dict(Map.of("k", 1));
            assertEquals(6L, (long) py.criticalSection(a, () -> py.eval("sum").call(a).toJava(long.class)));
            // nested: the same object, another object, a pair, and Python code and conversions inside
            String nested = py.criticalSection(a, () -> py.criticalSection(d, () -> py.criticalSection(a,
                    () -> py.criticalSection(a, d, () -> a.toJava(List.class) + " " + d.toJava(Map.class)))));
            assertEquals("[1, 2, 3] {k=1}", nested);
            // writes through pyjama inside a section: CPython takes the same lock again, which a
            // section allows (it is not a plain mutex)
            py.criticalSection(a, () -> {
                a.append(4);
                d.put("j", 2);
                return null;
            });
            assertEquals(List.of(1L, 2L, 3L, 4L), a.toJava(List.class));
            // an exception leaves the body, ends the section, and reaches the caller as it was
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class,
                    () -> py.criticalSection(a, () -> py.criticalSection(d, () -> {
                        throw boom;
                    }))));
            assertThrows(dev.pyjama.exceptions.PyZeroDivisionError.class,
                    () -> py.criticalSection(a, () -> py.eval("1 // 0")));
            // ended: another thread can take the same sections and write at once
            Py2 other = new Py2(a.unbind(), d.unbind());
            assertEquals("ok", py.detach(() -> CompletableFuture.supplyAsync(other::write).orTimeout(10, TimeUnit.SECONDS)
                    .join()));
            assertEquals(6, a.size());
            return null;
        });
    }

    /** Another thread's writes to the same list and dict, in sections of its own. */
    private record Py2(dev.pyjama.Py<PyObject> list, dev.pyjama.Py<PyObject> dict) {
        String write() {
            return Python.attach(py -> {
                PyList l = list.bind(py).as(PyList.class);
                PyDict m = dict.bind(py).as(PyDict.class);
                py.criticalSection(l, m, () -> {
                    l.append(5);
                    m.put("other", true);
                    return null;
                });
                py.criticalSection(l, () -> {
                    l.append(6);
                    return null;
                });
                return "ok";
            });
        }
    }

    @Test
    void closingTheScopeInsideItsOwnSectionIsRefusedOnAFreeThreadedBuild() {
        boolean free = PyTesting.freeThreaded();
        try (Python py = Python.attach()) {
            PyList a = py.list(1);
            py.criticalSection(a, () -> {
                // a scope opened inside the section may close inside it
                assertEquals(1L, (long) py.scope(inner -> inner.criticalSection(a, () -> 1L)));
                try (Python nested = Python.attach()) {
                    nested.eval("1");
                }
                if (free) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, py::close);
                    assertTrue(e.getMessage().contains("critical section"), e.getMessage());
                    assertEquals(1, a.size(), "the scope was closed anyway");
                } else {
                    // with the GIL a section holds nothing in C, so nothing is left behind: closing works
                    assertDoesNotThrow(py::close);
                }
                return null;
            });
        }
        // the thread is detached and usable again either way
        assertEquals(2L, (long) Python.attach(py -> py.criticalSection(py.list(), () -> 2L)));
    }

    @Test
    void handlesOfAnotherThreadOrAClosedScopeAreRefused() {
        PyObject[] escaped = new PyObject[1];
        Python.attach(py -> escaped[0] = py.list());
        Python.attach(py -> {
            assertThrows(IllegalStateException.class, () -> py.criticalSection(escaped[0], () -> 1));
            PyList mine = py.list();
            Throwable fromOtherThread = py.detach(() -> CompletableFuture.supplyAsync(() -> Python.attach(p2 -> {
                try {
                    p2.criticalSection(mine, () -> 1);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            })).orTimeout(10, TimeUnit.SECONDS).join());
            assertTrue(fromOtherThread instanceof WrongThreadException, String.valueOf(fromOtherThread));
            assertThrows(NullPointerException.class, () -> py.criticalSection(null, () -> 1));
            return null;
        });
    }
}
