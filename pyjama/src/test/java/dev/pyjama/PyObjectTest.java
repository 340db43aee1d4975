package dev.pyjama;

import static dev.pyjama.testing.PyTesting.refcount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.exceptions.PyIndexError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import dev.pyjama.testing.PyTesting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The operations of {@link PyObject}, and {@link Py} references. */
class PyObjectTest {

    @Test
    void attributes() {
        Python.attach(py -> {
            py.run("class _Obj:\n    x = 1\n");
            PyObject o = py.eval("_Obj()");
            assertEquals(1, o.getAttr("x").toJava(int.class));
            assertTrue(o.hasAttr("x"));
            assertFalse(o.hasAttr("y"));
            o.setAttr("y", "why");
            assertTrue(o.hasAttr("y"));
            assertEquals("why", o.getAttr("y").toJava(String.class));
            assertEquals("why", py.eval("lambda o: o.y").call(o).toJava(String.class));
            o.setAttr("n", null);
            assertTrue(o.getAttr("n").isNone());
            o.delAttr("y");
            assertFalse(o.hasAttr("y"));
            PyAttributeError e = assertThrows(PyAttributeError.class, () -> o.getAttr("y"));
            assertTrue(e.getMessage().startsWith("AttributeError: "), e.getMessage());
            assertTrue(e.getMessage().contains("'y'"), e.getMessage());
            assertThrows(PyAttributeError.class, () -> o.delAttr("never_there"));
            assertThrows(PyAttributeError.class, () -> py.eval("1").setAttr("real", 2));
            return null;
        });
    }

    @Test
    void hasAttrPropagatesOtherExceptions() {
        Python.attach(py -> {
            py.run("class _Raising:\n    def __getattr__(self, n):\n        raise ZeroDivisionError(n)\n");
            PyObject o = py.eval("_Raising()");
            assertThrows(PyZeroDivisionError.class, () -> o.hasAttr("anything"));
            return null;
        });
    }

    @Test
    void callPositionalAndKeywords() {
        Python.attach(py -> {
            py.run("def _f(a, b=2, *args, c=3, **kw):\n"
                    + "    return repr((a, b, args, c, sorted(kw.items()), list(kw)))\n");
            PyObject f = py.eval("_f");
            assertEquals("(1, 2, (), 3, [], [])", f.call(1).toJava(String.class));
            assertEquals("(1, 'x', (None, 2.5), 3, [], [])", f.call(1, "x", null, 2.5).toJava(String.class));
            Map<String, Object> kw = new LinkedHashMap<>();
            kw.put("z", 26);
            kw.put("c", "see");
            kw.put("a1", true);
            assertEquals("(7, 2, (), 'see', [('a1', True), ('z', 26)], ['z', 'a1'])",
                    f.call(new Object[] {7}, kw).toJava(String.class));
            assertEquals("(7, 8, (), 3, [], [])", f.call(new Object[] {7, 8}, Map.of()).toJava(String.class));
            assertEquals("('k', 2, (), 3, [], [])", f.call(new Object[0], Map.of("a", "k")).toJava(String.class));
            PyTypeError e = assertThrows(PyTypeError.class, () -> f.call());
            assertTrue(e.getMessage().contains("missing 1 required positional argument"), e.getMessage());
            assertThrows(PyTypeError.class, () -> f.call(new Object[] {1}, Map.of("a", 2)));
            assertThrows(PyTypeError.class, () -> py.eval("1").call());
            // a PyObject passed as an argument is the object itself
            PyObject list = py.eval("[]");
            py.eval("lambda l: l.append(5)").call(list);
            assertEquals("[5]", list.repr());
            return null;
        });
    }

    @Test
    void callMethod() {
        Python.attach(py -> {
            PyObject s = py.toPython("a,b,c");
            PyObject parts = s.callMethod("split", ",");
            assertEquals("['a', 'b', 'c']", parts.repr());
            assertEquals("A,B,C", s.callMethod("upper").toJava(String.class));
            assertEquals("a-b-c", py.toPython("-").callMethod("join", parts).toJava(String.class));
            assertThrows(PyAttributeError.class, () -> s.callMethod("no_such_method"));
            return null;
        });
    }

    @Test
    void itemsOnDict() {
        Python.attach(py -> {
            PyObject d = py.eval("{'a': 1}");
            assertEquals(1, d.getItem("a").toJava(int.class));
            d.setItem("b", 2L);
            d.setItem(3, "three");
            assertEquals("{'a': 1, 'b': 2, 3: 'three'}", d.repr());
            d.delItem("a");
            assertEquals(2, d.len());
            PyKeyError e = assertThrows(PyKeyError.class, () -> d.getItem("a"));
            assertEquals("KeyError: 'a'", e.getMessage());
            assertThrows(PyKeyError.class, () -> d.delItem("a"));
            assertTrue(d.contains("b"));
            assertTrue(d.contains(3));
            assertFalse(d.contains("a"));
            return null;
        });
    }

    @Test
    void itemsOnList() {
        Python.attach(py -> {
            PyObject l = py.eval("[10, 20, 30]");
            assertEquals(20, l.getItem(1).toJava(int.class));
            assertEquals(30, l.getItem(-1).toJava(int.class));
            l.setItem(0, "x");
            l.delItem(1);
            assertEquals("['x', 30]", l.repr());
            PyIndexError e = assertThrows(PyIndexError.class, () -> l.getItem(5));
            assertEquals("IndexError: list index out of range", e.getMessage());
            assertThrows(PyIndexError.class, () -> l.setItem(9, 1));
            assertThrows(PyTypeError.class, () -> l.getItem("k"));
            assertEquals(2, l.len());
            assertTrue(l.contains(30));
            assertFalse(l.contains(20));
            assertThrows(PyTypeError.class, () -> py.eval("5").len());
            assertEquals(0, py.eval("''").len());
            assertEquals(5, py.eval("range(5)").len());
            return null;
        });
    }

    @Test
    void iteration() {
        Python.attach(py -> {
            List<Long> got = new ArrayList<>();
            for (PyObject item : py.eval("[3, 1, 2]")) {
                got.add(item.toJava(long.class));
            }
            assertEquals(List.of(3L, 1L, 2L), got);
            py.run("def _gen(n):\n    for i in range(n):\n        yield i * i\n");
            List<Long> squares = new ArrayList<>();
            for (PyObject item : py.eval("_gen(5)")) {
                squares.add(item.toJava(long.class));
            }
            assertEquals(List.of(0L, 1L, 4L, 9L, 16L), squares);
            var it = py.eval("[]").iterator();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertThrows(PyTypeError.class, () -> py.eval("42").iterator());
            // an exception raised by the generator arrives as itself
            py.run("def _bad():\n    yield 1\n    raise KeyError('gen')\n");
            var bad = py.eval("_bad()").iterator();
            assertEquals(1, bad.next().toJava(int.class));
            assertThrows(PyKeyError.class, bad::hasNext);
            return null;
        });
    }

    @Test
    void reprStrToString() {
        Python.attach(py -> {
            PyObject s = py.toPython("hi");
            assertEquals("'hi'", s.repr());
            assertEquals("hi", s.str());
            assertEquals("hi", s.toString());
            PyObject none = py.none();
            assertEquals("None", none.repr());
            assertEquals("None", none.toString());
            py.run("class _BadStr:\n    def __str__(self):\n        raise ValueError('nope')\n");
            PyObject bad = py.eval("_BadStr()");
            String t = bad.toString(); // never throws
            assertTrue(t.contains("nope"), t);
            PyObject list = py.eval("[1, 'a']");
            AtomicReference<Object> fromOther = new AtomicReference<>();
            Thread th = new Thread(() -> {
                try {
                    fromOther.set(list.toString());
                } catch (Throwable e) {
                    fromOther.set(e);
                }
            });
            th.start();
            try {
                th.join(10_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertInstanceOf(String.class, fromOther.get());
            assertTrue(((String) fromOther.get()).startsWith("<Python object at 0x"), (String) fromOther.get());
            assertEquals("[1, 'a']", list.toString());
            return null;
        });
    }

    @Test
    void noneAndTruth() {
        Python.attach(py -> {
            assertTrue(py.eval("None").isNone());
            assertTrue(py.none().isNone());
            assertTrue(py.toPython(null).isNone());
            assertFalse(py.eval("0").isNone());
            assertFalse(py.eval("0").isTruthy());
            assertFalse(py.eval("''").isTruthy());
            assertFalse(py.eval("[]").isTruthy());
            assertFalse(py.eval("None").isTruthy());
            assertTrue(py.eval("[0]").isTruthy());
            assertTrue(py.eval("-1").isTruthy());
            py.run("class _Falsy:\n    def __bool__(self):\n        return False\n"
                    + "class _BoolRaises:\n    def __bool__(self):\n        raise KeyError('b')\n");
            assertFalse(py.eval("_Falsy()").isTruthy());
            assertThrows(PyKeyError.class, () -> py.eval("_BoolRaises()").isTruthy());
            return null;
        });
    }

    @Test
    void typeAndIsInstance() {
        Python.attach(py -> {
            PyType t = py.eval("1").type();
            assertEquals("int", t.name());
            assertEquals("int", t.qualifiedName());
            PyType od = py.importModule("collections").callMethod("OrderedDict").type();
            assertEquals("OrderedDict", od.name());
            assertEquals("collections.OrderedDict", od.qualifiedName());
            py.run("class _Outer:\n    class Inner:\n        pass\n");
            PyType inner = py.eval("_Outer.Inner()").type();
            assertEquals("Inner", inner.name());
            assertEquals("__main__._Outer.Inner", inner.qualifiedName());
            assertTrue(py.eval("True").isInstance(py.eval("int")));
            assertFalse(py.eval("1").isInstance(py.eval("str")));
            assertTrue(py.eval("1").isInstance(py.eval("(str, int)")));
            assertTrue(py.eval("True").type().isSubclass(py.eval("int")));
            assertThrows(PyTypeError.class, () -> py.eval("1").isInstance(py.eval("2")));
            assertEquals(py.eval("int"), t);
            return null;
        });
    }

    @Test
    void asAndTryAs() {
        Python.attach(py -> {
            PyObject sys = py.eval("__import__('sys')");
            PyModule m = sys.as(PyModule.class);
            assertEquals("sys", m.name());
            assertEquals(sys, m);
            assertTrue(sys.tryAs(PyModule.class).isPresent());
            assertSame(m, m.as(PyModule.class));
            assertTrue(py.eval("dict").tryAs(PyType.class).isPresent());
            assertTrue(py.eval("1").tryAs(PyModule.class).isEmpty());
            assertSame(sys, sys.as(PyObject.class));
            ClassCastException e = assertThrows(ClassCastException.class, () -> py.eval("[1]").as(PyModule.class));
            assertTrue(e.getMessage().contains("list"), e.getMessage());
            assertTrue(e.getMessage().contains("PyModule"), e.getMessage());
            assertTrue(e.getMessage().contains("module"), e.getMessage());
            ClassCastException e2 = assertThrows(ClassCastException.class, () -> py.eval("1.5").as(PyType.class));
            assertTrue(e2.getMessage().contains("float") && e2.getMessage().contains("PyType"), e2.getMessage());
            PyModule viaToJava = sys.toJava(PyModule.class);
            assertEquals(sys, viaToJava);
            return null;
        });
    }

    @Test
    void equalsAndHashCodeAreIdentity() {
        Python.attach(py -> {
            PyObject a = py.eval("__import__('sys')");
            PyObject b = py.importModule("sys");
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            PyObject l1 = py.eval("[]");
            PyObject l2 = py.eval("[]");
            assertNotEquals(l1, l2);
            assertTrue(l1.pyEquals(l2)); // Python == is not Java equals
            assertFalse(l1.pyEquals(py.eval("[1]")));
            assertNotEquals(l1, "[]");
            return null;
        });
    }

    @Test
    void unbindThenBindInAnotherThread() throws Exception {
        Py<PyObject> ref = Python.attach(py -> {
            py.run("_unbind_list = ['shared']");
            return py.eval("_unbind_list").unbind();
        });
        try {
            assertFalse(ref.isClosed());
            assertTrue(ref.toString().startsWith("Py<PyObject>[0x"), ref.toString());
            String got = CompletableFuture.supplyAsync(() -> Python.attach(py -> {
                PyObject l = ref.bind(py);
                l.callMethod("append", "from-other");
                return l.repr();
            }), r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                t.start();
            }).get(30, TimeUnit.SECONDS);
            assertEquals("['shared', 'from-other']", got);
            assertEquals("['shared', 'from-other']", Python.attach(py -> py.eval("_unbind_list").repr()));
            // a bound handle is typed like the handle it came from
            Py<PyObject> mod = Python.attach(py -> py.importModule("sys").unbind());
            try {
                assertTrue(Python.<Boolean>attach(py -> mod.bind(py) instanceof PyModule));
            } finally {
                mod.close();
            }
        } finally {
            ref.close();
        }
    }

    @Test
    void pyCloseReleasesAndBindAfterCloseThrows() {
        Python.attach(py -> {
            py.run("_py_close_target = object()");
            PyObject target = py.eval("_py_close_target");
            long before = refcount(py, target);
            Py<PyObject> ref = target.unbind();
            assertEquals(before + 1, refcount(py, target));
            ref.close();
            assertEquals(before, refcount(py, target));
            assertTrue(ref.isClosed());
            assertTrue(ref.toString().endsWith(", closed]"), ref.toString());
            ref.close(); // idempotent
            assertEquals(before, refcount(py, target));
            assertThrows(IllegalStateException.class, () -> ref.bind(py));
            assertThrows(IllegalStateException.class, () -> py.toPython(ref));
            return null;
        });
        // closing a Py on a thread that is not attached releases at once too
        Py<PyObject> ref = Python.attach(py -> py.eval("_py_close_target").unbind());
        long withRef = Python.attach(py -> refcount(py, py.eval("_py_close_target")));
        ref.close();
        long after = Python.attach(py -> refcount(py, py.eval("_py_close_target")));
        assertEquals(withRef - 1, after);
        Python.attach(py -> {
            py.run("del _py_close_target");
            return null;
        });
    }

    @Test
    void unreachablePyIsReleasedAfterGc() {
        Python.attach(py -> {
            py.run("_gc_target = object()");
            return null;
        });
        long before = Python.attach(py -> refcount(py, py.eval("_gc_target")));
        makeUnreachableRefs(50);
        long held = Python.attach(py -> refcount(py, py.eval("_gc_target")));
        assertEquals(before + 50, held, "the unbound refs hold references until collected");
        boolean released = PyTesting.eventuallyWithGc(Duration.ofSeconds(20),
                () -> Python.attach(py -> refcount(py, py.eval("_gc_target"))) == before);
        long now = Python.attach(py -> refcount(py, py.eval("_gc_target")));
        assertTrue(released, "refcount still " + now + ", expected " + before + " after GC and attach");
        Python.attach(py -> {
            py.run("del _gc_target");
            return null;
        });
    }

    private static void makeUnreachableRefs(int n) {
        Python.attach(py -> {
            PyObject t = py.eval("_gc_target");
            for (int i = 0; i < n; i++) {
                t.unbind(); // dropped at once: unreachable
            }
            return null;
        });
    }
}
