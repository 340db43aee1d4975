package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Java {@code String} to Python {@code str} and back, exactly: by copying code units into and out
 * of CPython's compact strs ({@link StrLayout}) where their layout is confirmed; else made from
 * UTF-8 (UTF-16 with surrogatepass when the string has a surrogate) and read back as code points
 * ({@code PyUnicode_AsWideChar}), which leaves no UTF-8 copy cached in the str.
 *
 * <p>The rule for lone surrogates: a Java string is a sequence of UTF-16 code units and a Python
 * str a sequence of code points. A valid surrogate pair becomes one code point beyond the BMP; a
 * lone surrogate (half a pair) becomes the same surrogate code point in Python, and comes back
 * unchanged (CPython's {@code surrogatepass}). The one string that cannot round-trip is a
 * Python str holding a high and a low surrogate as two adjacent code points: Java cannot tell
 * it from the pair, so it returns as the single code point they encode.
 */
public final class Strings {

    private Strings() {}

    private static final class Fn {
        static final MemorySegment FROM_UTF8 = Symbol.PyUnicode_FromStringAndSize.criticalAddress();
        static final MemorySegment LENGTH = Symbol.PyUnicode_GetLength.criticalAddress();
        static final MemorySegment AS_WIDE = Symbol.PyUnicode_AsWideChar.criticalAddress();
    }

    /** A new reference to the str equal to {@code s}. */
    public static long newStr(String s) {
        if (Abi.compactStrs && StrLayout.AVAILABLE) {
            return StrLayout.newStr(s);
        }
        if (!hasSurrogate(s)) {
            return newStrFromUtf8(s);
        }
        int n = s.length();
        MemorySegment buffer = Scratch.bytes(2L * n);
        for (int i = 0; i < n; i++) {
            buffer.set(JAVA_CHAR_UNALIGNED, 2L * i, s.charAt(i));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment byteOrder = arena.allocate(4);
            byteOrder.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, -1); // little endian
            return CApi.checkNew(Symbol.PyUnicode_DecodeUTF16.call(buffer.address(), 2L * n, arena.allocateFrom("surrogatepass").address(), byteOrder.address()));
        }
    }

    /** A new reference to the str equal to {@code s}, through UTF-8; {@code s} has no surrogates. */
    public static long newStrFromUtf8(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        MemorySegment buffer = Scratch.bytes(utf8.length);
        MemorySegment.copy(utf8, 0, buffer, JAVA_BYTE, 0, utf8.length);
        return CApi.checkResult(Native.critical(Fn.FROM_UTF8, buffer.address(), utf8.length));
    }

    /** The Java string equal to the Python str at {@code str} (borrowed). */
    public static String toJava(long str) {
        if (Abi.compactStrs && StrLayout.AVAILABLE) {
            String direct = StrLayout.toJava(str);
            if (direct != null) {
                return direct;
            }
        }
        // Copied out as code points (wchar_t is UTF-32 where pyjama runs): exact for lone surrogates
        // too, and unlike PyUnicode_AsUTF8AndSize it leaves no UTF-8 copy cached in the str.
        long n = CApi.checkSize(Native.critical(Fn.LENGTH, str));
        if (n > Integer.MAX_VALUE / 4) {
            throw PendingError.valueError("a str of " + n + " characters does not fit in a Java String");
        }
        MemorySegment buffer = Scratch.bytes(Math.max(4, 4 * n));
        long written = CApi.checkSize(Native.critical(Fn.AS_WIDE, str, buffer.address(), n));
        int[] codePoints = new int[(int) written];
        MemorySegment.copy(buffer, java.lang.foreign.ValueLayout.JAVA_INT, 0, codePoints, 0, codePoints.length);
        return new String(codePoints, 0, codePoints.length);
    }

    /** The Java string for {@code str(o)}, or a placeholder when str() itself fails. */
    public static String strOf(long o) {
        long s = Symbol.PyObject_Str.call(o);
        if (s == 0) {
            Symbol.PyErr_Clear.call();
            return "<exception str() failed>";
        }
        try {
            return toJava(s);
        } finally {
            CApi.decRef(s);
        }
    }

    public static boolean hasSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
