package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;

/** A Python {@code bool} ({@code True} or {@code False}). Create one with {@link Python#bool(boolean)}. */
public final class PyBool extends PyObject {

    PyBool(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * The value.
     *
     * @return true for {@code True}
     */
    public boolean value() {
        return toJava(boolean.class);
    }
}
