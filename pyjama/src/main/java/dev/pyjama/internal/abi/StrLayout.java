package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Java strings to and from CPython's compact str objects (PEP 393) by copying code units, with no
 * UTF-8 step on either side. A compact str stores its code points right after its header in the
 * narrowest kind that holds them all: one byte each (ASCII or Latin-1), two (UCS-2) or four
 * (UCS-4). A Java string is UTF-16, so ASCII, Latin-1 and BMP text copy across as they are; only
 * text beyond the BMP needs its surrogate pairs joined into code points. Going through UTF-8
 * instead encodes and decodes on both sides, and makes CPython build and keep a UTF-8 copy of every
 * non-ASCII str it is asked to read.
 *
 * <p>The layout is not part of the stable ABI. It is derived from the version and the object
 * header size, then checked once against strs of every kind made by CPython itself (length, kind,
 * compact and ASCII bits, data offset); if anything differs (a future version, a build with another
 * header), {@link #probe} fails, the profile turns the shortcut off and {@link Strings} uses the
 * exported functions. Verified on 3.10 to 3.14 (GIL) and free-threaded 3.13. A str this class
 * cannot read directly (a subclass instance, which is not compact; a 3.10/3.11 str not yet
 * "ready") makes {@link #toJava} return null, and the caller falls back too.
 *
 * <p>{@code PyUnicode_New} and libc's {@code memchr} are bound with {@code critical(false)}: they
 * allocate or read memory and run no Python code. The GIL is held by every caller.
 */
final class StrLayout {

    private static final MemorySegment NEW = Symbol.PyUnicode_New.criticalAddress();
    /** libc's {@code memchr}: finds the '?' an unmappable char leaves, without PyUnicode_FindChar's checks. */
    private static final MemorySegment MEMCHR = Symbol.memchr.criticalAddress();

    /** Offsets from the object's address and bit positions in {@code state}. */
    private static final long LENGTH;
    private static final long STATE;
    private static final long ASCII_DATA;
    private static final long COMPACT_DATA;
    private static final int KIND_SHIFT;
    private static final int COMPACT_BIT;
    private static final int ASCII_BIT;

    static {
        long header = Abi.chosen().headerSize();
        boolean before312 = Abi.minor() < 12;
        LENGTH = header;
                STATE = header + 16;
        // 3.10/3.11 still have the wstr pointer (and wstr_length in the compact form).
        ASCII_DATA = header + (before312 ? 32 : 24);
        COMPACT_DATA = header + (before312 ? 56 : 40);
        // The state bit-field: interned is 2 bits, except on free-threaded builds from 3.14, where it
        // is a whole byte (read atomically); 3.13t still has the 2 bits (3.13.15's
        // Include/cpython/unicodeobject.h has no Py_GIL_DISABLED case in the struct, 3.14's has).
        int shift = Abi.freeThreaded() && Abi.minor() >= 14 ? 8 : 2;
        KIND_SHIFT = shift;
        COMPACT_BIT = shift + 3;
        ASCII_BIT = shift + 4;
    }

    /**
     * Whether the probe confirmed the layout: run on first use, by a thread holding the GIL, and
     * only where the profile allows the shortcut.
     */
    static final boolean AVAILABLE = Abi.chosen().typeOffset() > 0 && probe();

    private StrLayout() {}

    /** Checks the derived layout against strs of each kind that CPython made from UTF-8. */
    static boolean probe() {
        String[] samples = {"abc", "\u00e9t\u00e9", "\u0100\u4e2d\u0101", "a\ud83d\ude00\u00e9"};
        int[] kinds = {1, 1, 2, 4};
        for (int i = 0; i < samples.length; i++) {
            long str;
            try {
                str = Strings.newStrFromUtf8(samples[i]);
            } catch (RuntimeException e) {
                return false; // out of memory at start: the UTF-8 paths will do
            }
            try {
                int state = Native.ALL.get(JAVA_INT, str + STATE);
                boolean ascii = i == 0;
                if (Native.ALL.get(JAVA_LONG, str + LENGTH) != samples[i].codePointCount(0, samples[i].length())
                        || ((state >>> KIND_SHIFT) & 7) != kinds[i] || ((state >>> COMPACT_BIT) & 1) != 1
                        || ((state >>> ASCII_BIT) & 1) != (ascii ? 1 : 0)
                        || !samples[i].equals(toJava(str))) {
                    return false;
                }
            } finally {
                CApi.decRef(str);
            }
        }
        return true;
    }

    /**
     * The Java string equal to the compact str at {@code str} (borrowed), or null when it is not a
     * compact str this class can read.
     */
    static String toJava(long str) {
        int state = Native.ALL.get(JAVA_INT, str + STATE);
        if (((state >>> COMPACT_BIT) & 1) == 0) {
            return null;
        }
        int n = Math.toIntExact(Native.ALL.get(JAVA_LONG, str + LENGTH));
        long data = str + (((state >>> ASCII_BIT) & 1) != 0 ? ASCII_DATA : COMPACT_DATA);
        switch ((state >>> KIND_SHIFT) & 7) {
            case 1 -> {
                byte[] latin1 = Scratch.byteArray(n); // the String copies it
                MemorySegment.copy(Native.ALL, JAVA_BYTE, data, latin1, 0, n);
                return new String(latin1, 0, n, StandardCharsets.ISO_8859_1);
            }
            case 2 -> {
                char[] chars = new char[n];
                MemorySegment.copy(Native.ALL, JAVA_CHAR_UNALIGNED, data, chars, 0, n);
                return new String(chars);
            }
            case 4 -> {
                int[] codePoints = new int[n];
                MemorySegment.copy(Native.ALL, JAVA_INT_UNALIGNED, data, codePoints, 0, n);
                return new String(codePoints, 0, n);
            }
            default -> {
                return null; // 3.10/3.11: a str whose canonical form is not built yet
            }
        }
    }

    /**
     * A new reference to the str equal to {@code s}, in its canonical (narrowest) kind, as CPython
     * compares strs kind first. A lone surrogate stays one code point; a pair becomes the code point
     * it encodes.
     */
    static long newStr(String s) {
        int n = s.length();
        if (n == 0) {
            return create(0, 0); // CPython's shared empty str, which must not be written to
        }
        // ASCII first, with no char-by-char loop in Java: setString copies an ASCII String's own
        // bytes with no intermediate array (JDK 24+; a getBytes copy before), and encodes any other
        // string to at most n bytes with '?' for each char it cannot map, so the str is never
        // overrun. libc's memchr then looks for a '?'; only when one is there is the Java string
        // scanned. A few sampled chars decide whether to try: encoding non-ASCII text only to throw
        // it away would cost more than the whole UCS-2 path below.
        if (looksAscii(s, n)) {
            long str = create(n, 0x7F);
            Native.ALL.setString(str + ASCII_DATA, s, StandardCharsets.US_ASCII);
            if (!containsByte(str + ASCII_DATA, '?', n) || isAscii(s, n)) {
                return str;
            }
            CApi.decRef(str);
        }
        char[] chars = Scratch.chars(n);
        s.getChars(0, n, chars, 0);
        int bits = 0;
        for (int i = 0; i < n; i++) {
            bits |= chars[i];
        }
        if (bits < 0x100) {
            long str = create(n, bits < 0x80 ? 0x7F : 0xFF);
            // Exact (every char is below 256), and a copy of the String's own bytes on JDK 24+.
            Native.ALL.setString(str + (bits < 0x80 ? ASCII_DATA : COMPACT_DATA), s, StandardCharsets.ISO_8859_1);
            return str;
        }
        if (bits < Character.MIN_SURROGATE || !hasSurrogatePair(chars, n)) {
            long str = create(n, 0xFFFF);
            MemorySegment.copy(chars, 0, Native.ALL, JAVA_CHAR_UNALIGNED, str + COMPACT_DATA, n);
            return str;
        }
        int[] codePoints = s.codePoints().toArray();
        long str = create(codePoints.length, Character.MAX_CODE_POINT);
        MemorySegment.copy(codePoints, 0, Native.ALL, JAVA_INT_UNALIGNED, str + COMPACT_DATA, codePoints.length);
        return str;
    }

    private static boolean looksAscii(String s, int n) {
        for (int k = 0; k < 8 && k < n; k++) {
            if (s.charAt((int) ((long) k * (n - 1) / 7)) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSurrogatePair(char[] chars, int n) {
        for (int i = 0; i + 1 < n; i++) {
            if (Character.isHighSurrogate(chars[i]) && Character.isLowSurrogate(chars[i + 1])) {
                return true;
            }
        }
        return false;
    }

    /** {@code memchr(data, c, n) != NULL}: whether the {@code n} bytes at {@code data} hold {@code c}. */
    private static boolean containsByte(long data, char c, long n) {
        return Native.critical(MEMCHR, data, c, n) != 0;
    }

    /** {@code PyUnicode_New(n, maxChar)}: a new str whose data the caller fills before anyone sees it. */
    private static long create(long n, int maxChar) {
        return CApi.checkResult(Native.critical(NEW, n, maxChar));
    }
}
