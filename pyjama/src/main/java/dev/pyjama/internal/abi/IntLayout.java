package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;

/**
 * Reads the value of a small CPython int straight from its digits, without a call into C. An int
 * stores its magnitude in 30-bit digits after a size field: {@code ob_size} (digit count, negative
 * for negative ints) up to 3.11, {@code lv_tag} (digit count shifted left by 3, sign in the low two
 * bits: 0 positive, 1 zero, 2 negative) from 3.12. Ints of at most two digits (magnitude below
 * 2^60, nearly every int a program passes around) are read here; larger ones go through
 * {@code PyLong_AsLongLong}.
 *
 * <p>Verified on 3.10 to 3.14 (GIL) and free-threaded 3.13. The layout is not part of the stable
 * ABI: it is derived from the version and the object header size, then checked by {@link #probe}
 * at start against ints CPython made from known values (zero, both signs, one and two digits, the
 * first three-digit magnitude). A build with 15-bit digits or any other layout fails the probe and
 * the profile turns the shortcut off. Only exact ints are read (callers check the type); read-only:
 * pyjama never writes into an int.
 */
final class IntLayout {

    /** Offsets from the object's address (the profile's header size is known when this class is first used). */
    private static final long SIZE = Abi.chosen().headerSize();
    private static final long DIGITS = SIZE + 8;
    private static final boolean TAGGED = Abi.minor() >= 12;

    /**
     * Whether the probe confirmed the layout: run on first use, by a thread holding the GIL, and
     * only where the profile allows the shortcut.
     */
    static final boolean AVAILABLE = Abi.chosen().typeOffset() > 0 && probe();

    private IntLayout() {}

    /** Whether ints CPython makes read back as their values here. The caller holds the GIL. */
    static boolean probe() {
        long[] samples = {0, 1, -1, 7, 1_000_000, -1_000_000, (1L << 30) - 1, 1L << 30, -(1L << 30),
            (1L << 60) - 1, -((1L << 60) - 1), 1L << 60, Long.MIN_VALUE, Long.MAX_VALUE};
        try (Arena arena = Arena.ofConfined()) {
            for (long v : samples) {
                // From decimal text: a call whose shape start-up links anyway.
                long o = Symbol.PyLong_FromString.call(arena.allocateFrom(Long.toString(v)).address(), 0, 10);
                if (o == 0) {
                    Symbol.PyErr_Clear.call();
                    return false; // out of memory at start: PyLong_AsLongLong will do
                }
                try {
                    boolean small = v > -(1L << 60) && v < (1L << 60);
                    if (fits(o) != small || (small && value(o) != v)) {
                        return false;
                    }
                } finally {
                    Symbol.Py_DecRef.call(o); // an ordinary downcall: its shape is linked at start anyway
                }
            }
        }
        return true;
    }

    /** Whether the exact int at {@code o} (borrowed) has at most two digits, so {@link #value} reads it. */
    static boolean fits(long o) {
        long size = Native.ALL.get(JAVA_LONG, o + SIZE);
        return TAGGED ? Long.compareUnsigned(size, 3 << 3) < 0 : size >= -2 && size <= 2;
    }

    /** The value of the exact int at {@code o} (borrowed), for which {@link #fits} holds. */
    static long value(long o) {
        long size = Native.ALL.get(JAVA_LONG, o + SIZE);
        long digits;
        long sign;
        if (TAGGED) {
            digits = size >>> 3;
            sign = 1 - (size & 3);
        } else {
            digits = Math.abs(size);
            sign = Long.signum(size);
        }
        if (digits == 0) {
            return 0;
        }
        long magnitude = Native.ALL.get(JAVA_INT, o + DIGITS) & 0xFFFF_FFFFL;
        if (digits == 2) {
            magnitude |= (Native.ALL.get(JAVA_INT, o + DIGITS + 4) & 0xFFFF_FFFFL) << 30;
        }
        return sign * magnitude;
    }
}
