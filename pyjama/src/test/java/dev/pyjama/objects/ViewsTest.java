package dev.pyjama.objects;

import static dev.pyjama.objects.TypedHandlesTest.assertPy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyDict;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.PySet;
import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Java views are live (writes go to Python, Python's changes show through), copies are detached:
 * the rule each Javadoc states.
 */
class ViewsTest {

    @Test
    void listViewWritesThrough() {
        try (Python py = Python.attach()) {
            PyList l = py.list(1L, 2L, 3L);
            List<PyObject> view = l.asList();
            assertEquals(3, view.size());
            assertTrue(view.add(py.integer(4)));
            assertPy(py, "[1, 2, 3, 4]", l);
            view.add(0, py.integer(0));
            assertPy(py, "[0, 1, 2, 3, 4]", l);
            PyObject old = view.set(1, py.str("one"));
            assertPy(py, "1", old);
            assertPy(py, "[0, 'one', 2, 3, 4]", l);
            assertPy(py, "2", view.remove(2));
            assertPy(py, "[0, 'one', 3, 4]", l);
            // Python-side changes show through the view
            l.callMethod("append", 5L);
            assertEquals(5, view.size());
            assertPy(py, "5", view.get(4));
            // Java index rules on the Java view: no negative indices
            assertThrows(IndexOutOfBoundsException.class, () -> view.get(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> view.get(5));
            // iteration and removal through the iterator
            Iterator<PyObject> it = view.iterator();
            while (it.hasNext()) {
                PyObject x = it.next();
                if (x.is(dev.pyjama.PyInt.class) && x.toJava(long.class) % 2 == 0) {
                    it.remove();
                }
            }
            assertPy(py, "['one', 3, 5]", l);
            ListIterator<PyObject> li = view.listIterator();
            li.next();
            li.set(py.str("uno"));
            li.add(py.integer(2));
            assertPy(py, "['uno', 2, 3, 5]", l);
            view.subList(1, 3).clear();
            assertPy(py, "['uno', 5]", l);
            view.clear();
            assertEquals(0, l.size());
        }
    }

    @Test
    void toListIsADetachedCopy() {
        try (Python py = Python.attach()) {
            PyList l = py.list(1L, 2L, 3L);
            List<Long> copy = l.toList(Long.class);
            assertEquals(List.of(1L, 2L, 3L), copy);
            l.append(4L);
            l.set(0, 100L);
            assertEquals(List.of(1L, 2L, 3L), copy, "later Python changes do not reach the copy");
            copy.add(99L);
            copy.set(1, -2L);
            assertPy(py, "[100, 2, 3, 4]", l);
            assertEquals(List.of("a", "b"), py.list("a", "b").toList(String.class));
        }
    }

    @Test
    void dictViewIsLive() {
        try (Python py = Python.attach()) {
            PyDict d = py.dict();
            d.put("a", 1L);
            Map<PyObject, PyObject> view = d.asMap();
            assertNull(view.put(py.str("b"), py.integer(2)), "put of a new key returns null");
            PyObject old = view.put(py.str("a"), py.integer(10));
            assertPy(py, "1", old);
            assertPy(py, "{'a': 10, 'b': 2}", d);
            // documented: lookups accept any convertible Java key
            assertTrue(view.containsKey("a"));
            assertFalse(view.containsKey("zz"));
            assertPy(py, "10", view.get("a"));
            assertNull(view.get("zz"));
            assertPy(py, "2", view.remove("b"));
            assertNull(view.remove("b"));
            assertPy(py, "{'a': 10}", d);
            // Python-side changes are visible
            py.eval("lambda d: d.update(c=3, e=5)").call(d);
            assertEquals(3, view.size());
            List<String> keys = new ArrayList<>();
            for (Map.Entry<PyObject, PyObject> e : view.entrySet()) {
                keys.add(e.getKey().toJava(String.class));
                if (e.getKey().pyEquals("c")) {
                    PyObject prev = e.setValue(py.integer(33));
                    assertPy(py, "3", prev);
                    assertPy(py, "33", e.getValue());
                }
            }
            assertEquals(List.of("a", "c", "e"), keys, "insertion order");
            assertPy(py, "{'a': 10, 'c': 33, 'e': 5}", d);
            // removal through the entry-set iterator, while iterating
            Iterator<Map.Entry<PyObject, PyObject>> it = view.entrySet().iterator();
            while (it.hasNext()) {
                if (it.next().getValue().toJava(long.class) > 9) {
                    it.remove();
                }
            }
            assertPy(py, "{'e': 5}", d);
            Iterator<Map.Entry<PyObject, PyObject>> fresh = view.entrySet().iterator();
            assertThrows(IllegalStateException.class, fresh::remove, "remove() before next()");
            fresh.next();
            fresh.remove();
            assertThrows(IllegalStateException.class, fresh::remove, "remove() twice");
            assertPy(py, "{}", d);
            d.put("e", 5L);
            view.keySet().removeIf(k -> k.pyEquals("e"));
            assertTrue(view.isEmpty());
            assertPy(py, "{}", d);
        }
    }

    @Test
    void toMapIsADetachedCopy() {
        try (Python py = Python.attach()) {
            PyDict d = py.dict();
            d.put("x", 1L);
            d.put("y", 2L);
            Map<String, Long> copy = d.toMap(String.class, Long.class);
            assertEquals(new LinkedHashMap<>(Map.of("x", 1L, "y", 2L)), copy);
            assertEquals(List.of("x", "y"), new ArrayList<>(copy.keySet()), "insertion order kept");
            d.put("z", 3L);
            d.delItem("x");
            assertEquals(Map.of("x", 1L, "y", 2L), copy);
            copy.put("w", 0L);
            assertPy(py, "{'y': 2, 'z': 3}", d);
        }
    }

    @Test
    void setViewIsLive() {
        try (Python py = Python.attach()) {
            PySet s = py.set(1L, 2L, 3L, 4L);
            Set<PyObject> view = s.asSet();
            assertEquals(4, view.size());
            assertTrue(view.contains(2L), "contains accepts a Java value");
            assertTrue(view.add(py.integer(5)));
            assertFalse(view.add(py.integer(5)), "already present");
            assertPy(py, "{1, 2, 3, 4, 5}", s);
            assertTrue(view.remove(1L));
            assertFalse(view.remove(1L));
            assertPy(py, "{2, 3, 4, 5}", s);
            Iterator<PyObject> it = view.iterator();
            while (it.hasNext()) {
                if (it.next().toJava(long.class) % 2 == 0) {
                    it.remove();
                }
            }
            assertPy(py, "{3, 5}", s);
            s.add(7L);
            assertEquals(3, view.size(), "Python-side changes are visible");
            view.clear();
            assertPy(py, "set()", s);
        }
    }

    @Test
    void streamIsLazyOverPythonIteration() {
        try (Python py = Python.attach()) {
            py.run("_vt_pulled = []\n"
                    + "def _vt_gen():\n"
                    + "    for i in range(100):\n"
                    + "        _vt_pulled.append(i)\n"
                    + "        yield i\n");
            List<Long> firstThree = py.eval("_vt_gen()").stream().limit(3).map(o -> o.toJava(long.class)).toList();
            assertEquals(List.of(0L, 1L, 2L), firstThree);
            assertTrue(py.eval("len(_vt_pulled)").toJava(long.class) <= 4, "stream pulls lazily");
            assertEquals(45L, py.eval("range(10)").stream().mapToLong(o -> o.toJava(long.class)).sum());
        }
    }
}
