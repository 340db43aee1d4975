package dev.pyjama.internal.abi;

import java.lang.foreign.MemorySegment;

/**
 * ints and floats made and read on the hot paths: through the exported functions, or read in Java
 * where the profile's {@link IntLayout} and {@link FloatLayout} shortcuts are on. Callers hold the
 * GIL; the reads take exact ints and floats only (callers check the type first), where no
 * {@code __index__} or {@code __float__} runs, so those downcalls may be critical.
 */
public final class Scalars {

    private Scalars() {}

    private static final class Fn {
        static final MemorySegment LONG_FROM = Symbol.PyLong_FromLongLong.criticalAddress();
        static final MemorySegment LONG_AS = Symbol.PyLong_AsLongLong.criticalAddress();
    }

    private static final class FloatFn {
        static final MemorySegment FLOAT_FROM = Symbol.PyFloat_FromDouble.criticalAddress();
        static final MemorySegment FLOAT_AS = Symbol.PyFloat_AsDouble.criticalAddress();
    }

    /** {@code int(v)}: a new reference. */
    public static long newInt(long v) {
        return CApi.checkResult(Native.critical(Fn.LONG_FROM, v));
    }

    /** {@code float(v)}: a new reference. */
    public static long newFloat(double v) {
        return CApi.checkResult(Native.criticalFromDouble(FloatFn.FLOAT_FROM, v));
    }

    /**
     * The value of the exact int {@code o} (borrowed); an {@code OverflowError} (thrown) when it
     * does not fit in a {@code long}.
     */
    public static long exactIntValue(long o) {
        if (Abi.compactInts && IntLayout.AVAILABLE && IntLayout.fits(o)) {
            return IntLayout.value(o);
        }
        long v = Native.critical(Fn.LONG_AS, o);
        if (v == -1 && CApi.errorPending()) {
            throw PendingError.fetch();
        }
        return v;
    }

    /** The value of the exact float {@code o} (borrowed); cannot fail. */
    public static double exactFloatValue(long o) {
        return Abi.exactFloats && FloatLayout.AVAILABLE ? FloatLayout.value(o) : Native.criticalToDouble(FloatFn.FLOAT_AS, o);
    }
}
