package dev.pyjama.internal;

/**
 * One ASCII str whose last reference pyjama released (a result handle closed, an argument after
 * its call), kept with that reference instead of freed, so that the next ASCII str pyjama makes of
 * a similar length is that object with its length, hash and characters rewritten
 * ({@link CompactStrings#newStr}): no {@code PyUnicode_New}, no {@code malloc} and no {@code free}
 * when one str came back as another goes out. Nothing else refers to the kept str (its count was
 * one and stays one), so nothing can see the rewrite.
 *
 * <p>Only a str that is nothing but its characters is kept: compact ASCII, not interned (the
 * interned dict of 3.10/3.11 holds uncounted references), not statically allocated, no cached
 * {@code wstr} (3.10/3.11), at most {@value #MAX_LENGTH} chars. It is reused for a str of at most
 * its length and at least half of it, so a small str never holds a large block. Enabled by
 * {@link CompactStrings} once its probe has confirmed that CPython sees a rewritten str as a fresh
 * one (equal, same hash), and only on GIL builds, where reference counts are kept in Java and the
 * GIL serialises every access. A class of its own so that asking for the spare (in every release
 * of a str) does not run that probe. The kept str lives as long as the interpreter.
 */
final class SpareStr {

    /** The longest str kept: bounds the memory a kept str holds. */
    static final int MAX_LENGTH = 1 << 16;

    private static boolean enabled;
    /** The kept str, 0 when none; and the length it was made for (its room). */
    private static long kept;
    private static long keptRoom;

    private SpareStr() {}

    static void enable() {
        enabled = true;
    }

    /**
     * Takes over the caller's last reference to the exact str {@code o} instead of its release;
     * false (the caller releases it) when a str is kept already or {@code o} is not one to keep.
     */
    static boolean keep(long o) {
        if (!enabled || kept != 0) {
            return false;
        }
        long room = CompactStrings.plainAsciiLength(o);
        if (room <= 0 || room > MAX_LENGTH) {
            return false;
        }
        kept = o;
        keptRoom = room;
        return true;
    }

    /**
     * The kept str as a new reference, with length {@code n} and no cached hash, its characters
     * still to be written (with their terminating NUL) before anyone sees it; 0 when there is none
     * of a fitting size.
     */
    static long take(int n) {
        long o = kept;
        if (o == 0 || n > keptRoom || n < keptRoom / 2) {
            return 0;
        }
        kept = 0;
        CompactStrings.resetAscii(o, n);
        return o;
    }
}
