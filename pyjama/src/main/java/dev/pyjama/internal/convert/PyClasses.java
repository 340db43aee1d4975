package dev.pyjama.internal.convert;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Python classes the built-in converters construct or test against ({@code datetime.date},
 * {@code decimal.Decimal}, ...), imported on first use and kept as unbound references for the
 * life of the interpreter (one per process), so a conversion does not import anything again.
 */
final class PyClasses {

    private static final ConcurrentHashMap<String, Py<PyObject>> CACHE = new ConcurrentHashMap<>();

    private PyClasses() {}

    /** {@code module.name}, bound to {@code py}. */
    static PyObject get(Python py, String module, String name) {
        String key = module + "." + name;
        Py<PyObject> ref = CACHE.get(key);
        if (ref == null) {
            Py<PyObject> created = py.importModule(module).getAttr(name).unbind();
            ref = CACHE.putIfAbsent(key, created);
            if (ref == null) {
                ref = created;
            } else {
                created.close();
            }
        }
        return ref.bind(py);
    }

    /** {@code type(o).__name__}, for messages. */
    static String typeName(PyObject o) {
        return o.type().name();
    }

    /** A TypeError saying what was expected and what {@code o} is. */
    static PyTypeError expected(String what, PyObject o) {
        return new PyTypeError("expected " + what + ", got " + typeName(o));
    }
}
