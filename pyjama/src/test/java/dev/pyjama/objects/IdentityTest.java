package dev.pyjama.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** equals/hashCode are Python identity ({@code is}); pyEquals is Python's {@code ==}. */
class IdentityTest {

    @Test
    void sameObjectThroughTwoHandlesIsEqualWithTheSameHashCode() {
        try (Python py = Python.attach()) {
            py.run("_id_x = [1]\n");
            PyObject a = py.eval("_id_x");
            PyObject b = py.eval("_id_x");
            assertNotSame(a, b, "two handles");
            assertEquals(a, b);
            assertEquals(b, a);
            assertEquals(a.hashCode(), b.hashCode());
            PyList typed = a.as(PyList.class);
            assertNotSame(a, typed);
            assertEquals(a, typed, "a typed handle equals an untyped one to the same object");
            assertEquals(a.hashCode(), typed.hashCode());
            Set<PyObject> set = new HashSet<>();
            set.add(a);
            set.add(b);
            set.add(typed);
            assertEquals(1, set.size());
            // across scopes and through a Py
            try (Py<PyObject> ref = a.unbind()) {
                PyObject inner = py.scope(in -> {
                    PyObject bound = ref.bind(in);
                    assertEquals(a, bound);
                    assertEquals(a.hashCode(), bound.hashCode());
                    return null;
                });
            }
        }
    }

    @Test
    void equalButDistinctObjectsAreNotEqualInJava() {
        try (Python py = Python.attach()) {
            PyObject a = py.eval("[1]");
            PyObject b = py.eval("[1]");
            assertNotEquals(a, b);
            assertTrue(a.pyEquals(b));
            assertTrue(a.compare(dev.pyjama.CompareOp.EQ, b));
            Set<PyObject> set = new HashSet<>();
            set.add(a);
            set.add(b);
            assertEquals(2, set.size());
            assertFalse(a.equals(null));
            assertFalse(a.equals("[1]"));
            assertFalse(py.str("x").equals("x"), "a handle never equals a Java value");
            assertTrue(py.str("x").pyEquals("x"));
        }
    }

    /** Java equality of two handles is exactly Python's {@code a is b}, whatever the caching of ints and strs. */
    @Property(tries = 100)
    void equalsIsPythonIs(@ForAll long x, @ForAll long y) {
        try (Python py = Python.attach()) {
            PyObject isOp = py.eval("lambda a, b: a is b");
            for (long[] pair : new long[][] {{x, y}, {x, x}, {y % 300, y % 300}}) {
                PyObject a = py.integer(pair[0]);
                PyObject b = py.integer(pair[1]);
                boolean is = isOp.call(a, b).isTruthy();
                assertEquals(is, a.equals(b), pair[0] + " is " + pair[1]);
                if (is) {
                    assertEquals(a.hashCode(), b.hashCode());
                }
            }
            assertTrue(py.none().equals(py.eval("None")));
        }
    }
}
