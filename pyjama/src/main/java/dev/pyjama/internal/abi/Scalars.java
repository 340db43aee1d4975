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

    private static final class AnyFn {
        static final MemorySegment LONG_AS = Symbol.PyLong_AsLongLong_any.ordinary();
    }

    /** {@code int(text, base)} for NUL-terminated text: a new reference. */
    public static long newIntFromText(MemorySegment text, int base) {
        return CApi.checkNew(Symbol.PyLong_FromString.call(text.address(), 0, base));
    }

    /** {@code operator.index(o)} as a {@code long} (may run {@code __index__}); OverflowError when it does not fit. */
    public static long longValue(long o) {
        long v = Native.call(AnyFn.LONG_AS, o);
        if (v == -1 && CApi.errorPending()) {
            throw PendingError.fetch();
        }
        return v;
    }

    /** Whether the int {@code o} fits in a {@code long}; {@code overflowSlot} is a C int of scratch memory. */
    public static boolean fitsLong(long o, MemorySegment overflowSlot) {
        long v = Symbol.PyLong_AsLongLongAndOverflow.call(o, overflowSlot.address());
        if (v == -1 && CApi.errorPending()) {
            throw PendingError.fetch();
        }
        return overflowSlot.get(java.lang.foreign.ValueLayout.JAVA_INT, 0) == 0;
    }

    /** Whether {@code o} has {@code __index__} ({@code PyIndex_Check}). */
    public static boolean isIndex(long o) {
        return Symbol.PyIndex_Check.call(o) != 0;
    }

    /** {@code operator.index(o)}: a new reference to an int. */
    public static long newIndex(long o) {
        return CApi.checkNew(Symbol.PyNumber_Index.call(o));
    }

    /** {@code float(o)} for any object with {@code __float__} or {@code __index__} (may run them). */
    public static double doubleValue(long o) {
        double d = Symbol.PyFloat_AsDouble_any.callDoubleOrdinary(o);
        if (d == -1.0 && CApi.errorPending()) {
            throw PendingError.fetch();
        }
        return d;
    }
}
