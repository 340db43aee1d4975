package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;

import dev.pyjama.ffi.LibPython;

/**
 * Reads the value of an exact CPython float in Java, as the C macro {@code PyFloat_AS_DOUBLE}
 * does: a float is the object header followed by its {@code double}. The offset is derived from the
 * header size and checked once, on first use, against floats CPython made from known values (a
 * fraction, negative zero, infinity, a NaN's bits); if it does not hold, {@link #AVAILABLE} is false
 * and callers use {@code PyFloat_AsDouble}. Only exact floats are read this way (callers check the
 * type); the GIL is held by every caller.
 */
final class ExactFloats {

    private static final long VALUE = Interpreter.headerSize();

    /** Whether the layout was confirmed for this interpreter. */
    static final boolean AVAILABLE = probe();

    private ExactFloats() {}

    private static boolean probe() {
        for (double d : new double[] {1.5, -0.0, Math.PI, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE}) {
            long o = DirectCalls.floatFrom(d);
            if (o == 0) {
                LibPython.PyErr_Clear();
                return false; // out of memory: PyFloat_AsDouble will do
            }
            try {
                if (Double.doubleToRawLongBits(value(o)) != Double.doubleToRawLongBits(d)) {
                    return false;
                }
            } finally {
                CApi.decRef(o);
            }
        }
        return true;
    }

    /** The value of the exact float at {@code o} (borrowed). */
    static double value(long o) {
        return CApi.ALL.get(JAVA_DOUBLE_UNALIGNED, o + VALUE);
    }
}
