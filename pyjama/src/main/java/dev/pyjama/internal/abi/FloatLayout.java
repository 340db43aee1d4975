package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;

/**
 * Reads the value of an exact CPython float in Java, as the C macro {@code PyFloat_AS_DOUBLE}
 * does: a float is the object header followed by its {@code double}. Verified on 3.10 to 3.14 (GIL)
 * and free-threaded 3.13; the offset is derived from the header size and checked by {@link #probe}
 * at start against floats CPython made from known values (a fraction, negative zero, infinity, a
 * NaN's bits). Only exact floats are read (callers check the type); the GIL is held by every caller.
 */
final class FloatLayout {

    private static final long VALUE = Abi.chosen().headerSize();

    /**
     * Whether the probe confirmed the layout: run on first use, by a thread holding the GIL, and
     * only where the profile allows the shortcut.
     */
    static final boolean AVAILABLE = Abi.chosen().typeOffset() > 0 && probe();

    private FloatLayout() {}

    /** Whether floats CPython makes read back as their values here. The caller holds the GIL. */
    static boolean probe() {
        for (double d : new double[] {1.5, -0.0, Math.PI, Double.NEGATIVE_INFINITY, Double.NaN, Double.MIN_VALUE}) {
            long o = Symbol.PyFloat_FromDouble.call(d);
            if (o == 0) {
                Symbol.PyErr_Clear.call();
                return false; // out of memory: PyFloat_AsDouble will do
            }
            try {
                if (Double.doubleToRawLongBits(value(o)) != Double.doubleToRawLongBits(d)) {
                    return false;
                }
            } finally {
                ObjectHeader.decRef(o);
            }
        }
        return true;
    }

    /** The value of the exact float at {@code o} (borrowed). */
    static double value(long o) {
        return Native.ALL.get(JAVA_DOUBLE_UNALIGNED, o + VALUE);
    }
}
