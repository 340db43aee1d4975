package dev.pyjama.internal.convert;

import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.function.BiFunction;
import java.util.function.Function;

/** A converter made of two functions. */
record Simple<T>(Class<T> javaType, BiFunction<Python, T, PyObject> to, Function<PyObject, T> from)
        implements PyConverter<T> {

    @Override
    public PyObject toPython(Python py, T value) {
        return to.apply(py, value);
    }

    @Override
    public T toJava(PyObject obj) {
        return from.apply(obj);
    }

    @Override
    public String toString() {
        return "built-in converter for " + javaType.getName();
    }
}
