package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads (and rewrites) the value of a small CPython int straight from its digits, without a call
 * into C. An int
 * stores its magnitude in 30-bit digits after a size field: {@code ob_size} (digit count, negative
 * for negative ints) up to 3.11, {@code lv_tag} (digit count shifted left by 3, sign in the low two
 * bits: 0 positive, 1 zero, 2 negative) from 3.12. Ints of at most two digits (magnitude below
 * 2^60, nearly every int a program passes around) are read here; larger ones go through
 * {@code PyLong_AsLongLong}.
 *
 * <p>The layout is not part of the stable ABI: it is derived from the version and the object header
 * size, then checked once against ints CPython made from known values (zero, both signs, one and
 * two digits, the first three-digit magnitude). A build with 15-bit digits or any other layout
 * fails the check and {@link #AVAILABLE} is false. Only exact ints are read this way (callers check
 * the type); the GIL is held by every caller.
 *
 * <p>{@link SpareInt} rewrites ints through {@link #rewrite}; the probe checks that CPython reads
 * back what it writes, so both depend on the one check.
 */
final class CompactInts {

    /** Offsets from the object's address; valid when {@link #AVAILABLE}. */
    private static final long SIZE;
    private static final long DIGITS;
    private static final boolean TAGGED;

    /** Whether the layout was confirmed for this interpreter. */
    static final boolean AVAILABLE;

    static {
        SIZE = Interpreter.headerSize();
        DIGITS = SIZE + 8;
        TAGGED = Interpreter.minor() >= 12;
        AVAILABLE = probe();
        if (AVAILABLE && Interpreter.inlineRefCounts()) {
            SpareInt.enable();
        }
    }

    private CompactInts() {}

    private static boolean probe() {
        long[] samples = {0, 1, -1, 7, 1_000_000, -1_000_000, (1L << 30) - 1, 1L << 30, -(1L << 30),
            (1L << 60) - 1, -((1L << 60) - 1), 1L << 60, Long.MIN_VALUE, Long.MAX_VALUE};
        // Made from decimal text and released through word calls, whose downcall shapes start-up
        // links anyway (a shape costs some 5 ms to link).
        MemorySegment fromString = WordCalls.python("PyLong_FromString");
        boolean rewriteChecked = false;
        try (Arena arena = Arena.ofConfined()) {
            for (long v : samples) {
                long o = WordCalls.call(fromString, arena.allocateFrom(Long.toString(v)).address(), 0, 10);
                if (o == 0) {
                    LibPython.PyErr_Clear();
                    return false; // out of memory at start: PyLong_AsLongLong will do
                }
                try {
                    boolean small = v > -(1L << 60) && v < (1L << 60);
                    if (fits(o) != small || (small && value(o) != v)) {
                        return false;
                    }
                    if (small && digitCount(o) == 2 && !rewriteChecked) {
                        if (!rewritesReadBack(o)) { // o is a fresh two-digit int, no one else's
                            return false;
                        }
                        rewriteChecked = true;
                    }
                } finally {
                    DirectCalls.decRef(o);
                }
            }
        }
        return rewriteChecked;
    }

    /** Whether CPython reads back what {@link #rewrite} writes into a two-digit int, at both sizes and signs. */
    private static boolean rewritesReadBack(long o) {
        MemorySegment asLongLong = WordCalls.python("PyLong_AsLongLong");
        for (long v : new long[] {1_000_000, -1_000_000, (1L << 60) - 1, -((1L << 60) - 1), 1L << 30, 257, -6}) {
            rewrite(o, v);
            if (WordCalls.call(asLongLong, o) != v) {
                return false;
            }
        }
        return true;
    }

    /** The number of 30-bit digits of the exact int at {@code o} (borrowed). */
    static long digitCount(long o) {
        long size = CApi.ALL.get(JAVA_LONG, o + SIZE);
        return TAGGED ? size >>> 3 : Math.abs(size);
    }

    /** Digits needed for {@code v}: 1 or 2, or 3 for any magnitude of 2^60 or more (not rewritten). */
    static long digitsFor(long v) {
        if (v <= -(1L << 60) || v >= (1L << 60)) {
            return 3;
        }
        return Math.abs(v) < (1L << 30) ? 1 : 2;
    }

    /** Makes the int at {@code o} (room for two digits at least if v needs them) hold {@code v} (not 0). */
    static void rewrite(long o, long v) {
        long magnitude = Math.abs(v);
        long digits = digitsFor(v);
        long size = TAGGED ? (digits << 3) | (v < 0 ? 2 : 0) : (v < 0 ? -digits : digits);
        CApi.ALL.set(JAVA_LONG, o + SIZE, size);
        CApi.ALL.set(JAVA_INT, o + DIGITS, (int) (magnitude & ((1 << 30) - 1)));
        if (digits == 2) {
            CApi.ALL.set(JAVA_INT, o + DIGITS + 4, (int) (magnitude >>> 30));
        }
    }

    /** Whether the exact int at {@code o} (borrowed) has at most two digits, so {@link #value} reads it. */
    static boolean fits(long o) {
        long size = CApi.ALL.get(JAVA_LONG, o + SIZE);
        return TAGGED ? Long.compareUnsigned(size, 3 << 3) < 0 : size >= -2 && size <= 2;
    }

    /** The value of the exact int at {@code o} (borrowed), for which {@link #fits} holds. */
    static long value(long o) {
        long size = CApi.ALL.get(JAVA_LONG, o + SIZE);
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
        long magnitude = CApi.ALL.get(JAVA_INT, o + DIGITS) & 0xFFFF_FFFFL;
        if (digits == 2) {
            magnitude |= (CApi.ALL.get(JAVA_INT, o + DIGITS + 4) & 0xFFFF_FFFFL) << 30;
        }
        return sign * magnitude;
    }
}
