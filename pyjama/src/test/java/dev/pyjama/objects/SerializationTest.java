package dev.pyjama.objects;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Handles and {@code Py}s refuse Java serialisation with a message that says what to do: a Spark or
 * Flink closure that captured one fails there, before any task runs.
 */
class SerializationTest {

    private static void serialise(Object o) throws IOException {
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(o);
        }
    }

    private static void assertAdvice(String what, NotSerializableException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith(what + " cannot be serialised"), m);
        assertTrue(m.contains("Send Java values"), m);
        assertTrue(m.contains("PyOnceCell"), m);
    }

    @Test
    void aPyRefusesWithAdvice() {
        Py<PyObject> ref = Python.attach(py -> py.eval("[1, 2, 3]").unbind());
        try {
            assertAdvice("a dev.pyjama.Py", assertThrows(NotSerializableException.class, () -> serialise(ref)));
            // still usable: refusing wrote nothing and released nothing
            assertFalse(ref.isClosed());
            Python.attach(py -> {
                assertTrue(ref.bind(py).pyEquals(py.list(1L, 2L, 3L)));
                return null;
            });
        } finally {
            ref.close();
        }
    }

    @Test
    void aClosureThatCapturedAPyRefuses() {
        Py<PyObject> ref = Python.attach(py -> py.eval("len").unbind());
        try {
            Supplier<String> closure = (Supplier<String> & Serializable) () -> ref.toString();
            assertAdvice("a dev.pyjama.Py", assertThrows(NotSerializableException.class, () -> serialise(closure)));
        } finally {
            ref.close();
        }
    }

    @Test
    void handlesRefuseWithAdvice() {
        Python.attach(py -> {
            PyObject obj = py.eval("object()");
            assertAdvice("a dev.pyjama.PyObject handle",
                    assertThrows(NotSerializableException.class, () -> serialise(obj)));
            PyList list = py.list(1L, 2L);
            assertAdvice("a dev.pyjama.PyList handle",
                    assertThrows(NotSerializableException.class, () -> serialise(list)));
            assertTrue(list.len() == 2);
            return null;
        });
    }
}
