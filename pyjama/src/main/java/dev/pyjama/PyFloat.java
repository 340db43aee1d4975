package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;

/** A Python {@code float} (a C double). Create one with {@link Python#floating(double)}. */
public final class PyFloat extends PyObject {

    PyFloat(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * The value; exact, including -0.0, NaN and the infinities.
     *
     * @return the value
     */
    public double value() {
        return toJava(double.class);
    }
}
