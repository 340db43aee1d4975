package dev.pyjama.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import dev.pyjama.testing.PyTesting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code obj.callAs(type, args...)}: call, convert, release, with no handle left to the scope. */
class CallAsTest {

    @Test
    void convertsLikeToJava() {
        Python.attach(py -> {
            py.run("def inc(x): return x + 1\ndef name(a, b): return f'{a}-{b}'\ndef nothing(): return None\n");
            PyObject inc = py.eval("inc");
            assertEquals(43L, inc.callAs(long.class, 42));
            assertEquals(Long.valueOf(43), inc.callAs(Long.class, 42L));
            assertEquals(2.5, inc.callAs(double.class, 1.5));
            assertEquals("a-1", py.eval("name").callAs(String.class, "a", 1));
            assertEquals(List.of(1L, 2L), py.eval("list").callAs(List.class, py.tuple(1L, 2L)));
            assertEquals(List.of(1L, 2L), py.eval("list").callAs(Object.class, py.tuple(1L, 2L)));
            assertEquals(null, py.eval("nothing").callAs(Object.class));
            PyList handle = py.eval("list").callAs(PyList.class, py.tuple(1L));
            assertEquals(1, handle.size(), "a handle type gives a handle, owned by the scope");
            return null;
        });
    }

    @Test
    void errorsAreThrownAndTheResultIsReleased() {
        Python.attach(py -> {
            py.run("""
                    import weakref
                    class Thing: pass
                    _refs = []
                    def make():
                        t = Thing()
                        _refs.append(weakref.ref(t))
                        return t
                    def boom(): return 1 / 0
                    _name = 'kept' * 10
                    def kept(): return _name
                    """);
            assertThrows(PyZeroDivisionError.class, () -> py.eval("boom").callAs(long.class));
            PyTypeError e = assertThrows(PyTypeError.class, () -> py.eval("make").callAs(long.class));
            assertTrue(e.getMessage().contains("Thing"), e.getMessage());
            assertTrue(py.eval("_refs[0]() is None").isTruthy(), "the unconvertible result was released");
            PyObject name = py.eval("_name");
            long before = PyTesting.refcount(py, name);
            for (int i = 0; i < 100; i++) {
                assertEquals("kept".repeat(10), py.eval("kept").callAs(String.class));
            }
            assertEquals(before, PyTesting.refcount(py, name), "no reference kept by the scope");
            return null;
        });
    }

    @Test
    void misuseIsAJavaException() {
        PyObject[] escaped = new PyObject[1];
        Python.attach(py -> {
            escaped[0] = py.eval("abs");
            assertThrows(NullPointerException.class, () -> escaped[0].callAs(null, 1));
            return null;
        });
        assertThrows(IllegalStateException.class, () -> escaped[0].callAs(long.class, -1));
    }

    @Test
    void anUnboundReferenceIsCalledWithoutAHandle() {
        Python.attach(py -> {
            py.run("def scale(x, k): return x * k\ndef pair(a): return [a, a]\n");
            dev.pyjama.Py<PyObject> scale = py.eval("scale").unbind();
            dev.pyjama.Py<PyObject> pair = py.eval("pair").unbind();
            PyObject handle = py.eval("scale");
            long before = PyTesting.refcount(py, handle);
            assertEquals(7.5, scale.callAs(py, double.class, 2.5, 3));
            assertEquals(List.of(4L, 4L), pair.callAs(py, new dev.pyjama.TypeRef<List<Long>>() {}, 4));
            assertEquals(before, PyTesting.refcount(py, handle), "nothing kept by the call");
            assertThrows(IllegalArgumentException.class, () -> scale.callAs(py, PyList.class, 1, 2));
            assertThrows(PyTypeError.class, () -> scale.callAs(py, long.class, "a", "b"));
            scale.close();
            assertThrows(IllegalStateException.class, () -> scale.callAs(py, double.class, 1.0, 2));
            return null;
        });
    }
}
