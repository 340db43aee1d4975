package dev.pyjama.internal;

/**
 * One exact int whose last reference pyjama released (an argument after its call, a result handle
 * closed), kept with that reference instead of freed, so that the next int pyjama makes is that
 * object with its size and digits rewritten ({@link CompactInts#rewrite}): no allocation and no
 * free for the int going into a call when one came out of the last — a freelist of one, as CPython
 * keeps for floats and tuples. Nothing else refers to the kept int (its count was one and stays
 * one), so nothing can see the rewrite.
 *
 * <p>Enabled by {@link CompactInts} once its probe has confirmed the layout, reading and rewriting,
 * and only on GIL builds, where reference counts are kept in Java: every access happens with the
 * GIL held, which serialises them. Never for CPython's shared small ints (-5 to 256). A class of its
 * own so that asking for the spare (in every release of an int) does not run that probe. The kept
 * int lives as long as the interpreter, like CPython's own freelists.
 */
final class SpareInt {

    private static boolean enabled;
    /** The kept int, 0 when none; and how many digits it has room for. */
    private static long kept;
    private static long keptDigits;

    private SpareInt() {}

    static void enable() {
        enabled = true;
    }

    /**
     * Takes over the caller's last reference to the exact int {@code o} instead of its release;
     * false (the caller releases it) when an int is kept already or {@code o} is not one to keep.
     */
    static boolean keep(long o) {
        if (!enabled || kept != 0) {
            return false;
        }
        long digits = CompactInts.digitCount(o);
        if (digits == 0 || digits > 2) {
            return false;
        }
        long v = CompactInts.value(o);
        if (v >= -5 && v <= 256) {
            return false; // a shared small int is never anyone's last reference: do not touch one
        }
        kept = o;
        keptDigits = digits;
        return true;
    }

    /** {@code PyLong_FromLongLong(v)}: a new reference (the kept int rewritten when v fits it), or 0 with the error set. */
    static long newInt(long v) {
        long o = kept;
        if (o != 0 && (v < -5 || v > 256) && CompactInts.digitsFor(v) <= keptDigits) {
            kept = 0;
            CompactInts.rewrite(o, v);
            return o;
        }
        return DirectCalls.longFrom(v);
    }
}
