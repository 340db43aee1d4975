package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;

/**
 * Any object that {@code callable()} accepts: functions, methods, classes, objects with
 * {@code __call__}. Obtained with {@code obj.as(PyCallable.class)}; calls are {@link #call}.
 */
public final class PyCallable extends PyObject {

    PyCallable(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }
}
