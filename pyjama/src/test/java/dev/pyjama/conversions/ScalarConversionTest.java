package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Primitives, boxes, big integers, strings and bytes: round trips and Python's own view of them. */
class ScalarConversionTest {

    private static boolean py(Python py, String lambda, Object... args) {
        return py.eval(lambda).call(args).isTruthy();
    }

    @Property
    void longsRoundTripAndMatchPython(@ForAll long v) {
        Python.attach(py -> {
            PyObject o = py.toPython(v);
            assertEquals(v, o.toJava(long.class));
            assertEquals(v, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, s: type(v) is int and v == int(s)", o, Long.toString(v)));
            return null;
        });
    }

    @Property
    void intsShortsBytesRoundTrip(@ForAll int i, @ForAll short s, @ForAll byte b) {
        Python.attach(py -> {
            assertEquals(i, py.toPython(i).toJava(int.class));
            assertEquals(i, py.toPython(i).toJava(Integer.class));
            assertEquals(s, py.toPython(s).toJava(short.class));
            assertEquals(s, py.toPython(s).toJava(Short.class));
            assertEquals(b, py.toPython(b).toJava(byte.class));
            assertEquals(b, py.toPython(b).toJava(Byte.class));
            assertTrue(py(py, "lambda a, b, c, s: (a, b, c) == tuple(map(int, s.split()))", i, s, b,
                    i + " " + s + " " + b));
            return null;
        });
    }

    @Provide
    Arbitrary<BigInteger> bigIntegers() {
        return Arbitraries.bigIntegers().between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200))
                .edgeCases(c -> c.add(BigInteger.TWO.pow(63), BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE),
                        BigInteger.TWO.pow(64)));
    }

    @Property
    void bigIntegersRoundTripExactly(@ForAll("bigIntegers") BigInteger v) {
        Python.attach(py -> {
            PyObject o = py.toPython(v);
            assertEquals(v, o.toJava(BigInteger.class));
            Object natural = o.toJava(Object.class);
            if (v.bitLength() < 64) {
                assertEquals(v.longValue(), natural);
            } else {
                assertEquals(v, natural);
            }
            assertTrue(py(py, "lambda v, s: v == int(s, 16)", o, v.toString(16)));
            return null;
        });
    }

    @Test
    void intsTooBigForTheTargetAreOverflowErrors() {
        Python.attach(py -> {
            assertThrows(PyOverflowError.class, () -> py.eval("2**63").toJava(long.class));
            assertThrows(PyOverflowError.class, () -> py.eval("2**31").toJava(int.class));
            assertThrows(PyOverflowError.class, () -> py.eval("-129").toJava(byte.class));
            assertThrows(PyOverflowError.class, () -> py.eval("40000").toJava(short.class));
            assertThrows(PyOverflowError.class, () -> py.eval("1e300").toJava(float.class));
            return null;
        });
    }

    @Property
    void doublesRoundTripBitForBit(@ForAll double v) {
        Python.attach(py -> {
            PyObject o = py.toPython(v);
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(o.toJava(double.class)));
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits((Double) o.toJava(Object.class)));
            if (Double.isNaN(v)) {
                assertTrue(py(py, "lambda v: v != v", o));
            } else {
                assertTrue(py(py, "lambda v, h: v == float.fromhex(h) and str(v)[0] == str(float.fromhex(h))[0]", o,
                        Double.toHexString(v)));
            }
            return null;
        });
    }

    @Property
    void floatsRoundTrip(@ForAll float v) {
        Python.attach(py -> {
            assertEquals(Float.floatToIntBits(v), Float.floatToIntBits(py.toPython(v).toJava(float.class)));
            assertEquals(Float.floatToIntBits(v), Float.floatToIntBits(py.toPython(v).toJava(Float.class)));
            return null;
        });
    }

    @Test
    void negativeZeroNaNAndInfinitiesAreExact() {
        Python.attach(py -> {
            assertTrue(py(py, "lambda v: v == 0 and str(v) == '-0.0'", -0.0));
            assertTrue(py(py, "lambda v: v == float('inf')", Double.POSITIVE_INFINITY));
            assertTrue(py(py, "lambda v: v == float('-inf')", Double.NEGATIVE_INFINITY));
            assertEquals(-0.0, py.eval("-0.0").toJava(double.class));
            assertTrue(Double.isNaN(py.eval("float('nan')").toJava(double.class)));
            return null;
        });
    }

    @Property
    void booleansRoundTrip(@ForAll boolean b) {
        Python.attach(py -> {
            PyObject o = py.toPython(b);
            assertEquals(b, o.toJava(boolean.class));
            assertEquals(b, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, s: v is (s == 'true')", o, Boolean.toString(b)));
            return null;
        });
    }

    @Test
    void anIntIsNotABoolAndAStrIsNotANumber() {
        Python.attach(py -> {
            assertThrows(PyTypeError.class, () -> py.eval("1").toJava(boolean.class));
            assertThrows(PyTypeError.class, () -> py.eval("'1'").toJava(long.class));
            assertThrows(PyTypeError.class, () -> py.eval("'1.0'").toJava(double.class));
            assertThrows(PyTypeError.class, () -> py.eval("1.5").toJava(long.class));
            return null;
        });
    }

    @Property
    void charsRoundTripAsOneCharStr(@ForAll char c) {
        Python.attach(py -> {
            PyObject o = py.toPython(c);
            assertEquals(c, o.toJava(char.class));
            assertEquals(c, o.toJava(Character.class));
            assertTrue(py(py, "lambda v, n: len(v) == 1 and ord(v) == n", o, (int) c));
            return null;
        });
    }

    @Test
    void aLongerStrIsNotAChar() {
        Python.attach(py -> {
            assertThrows(PyValueError.class, () -> py.eval("'ab'").toJava(char.class));
            assertThrows(PyValueError.class, () -> py.eval("'\\U0001F600'").toJava(char.class));
            return null;
        });
    }

    @Provide
    Arbitrary<String> anyStrings() {
        return Arbitraries.strings().all().ofMaxLength(40)
                .edgeCases(c -> c.add("", "\0", "a\0b", "\uD83D\uDE00", "\uD800", "x\uDC00y", "\uDBFF\uDFFF"));
    }

    @Property
    void stringsRoundTripIncludingLoneSurrogates(@ForAll("anyStrings") String s) {
        Python.attach(py -> {
            PyObject o = py.toPython(s);
            assertEquals(s, o.toJava(String.class));
            assertEquals(s, o.toJava(CharSequence.class));
            assertEquals(s, o.toJava(Object.class));
            assertEquals(s, py.toPython(new StringBuilder(s)).toJava(String.class));
            byte[] utf16 = new byte[2 * s.length()];
            for (int i = 0; i < s.length(); i++) {
                utf16[2 * i] = (byte) s.charAt(i);
                utf16[2 * i + 1] = (byte) (s.charAt(i) >> 8);
            }
            assertTrue(py(py, "lambda v, b: v == b.decode('utf-16-le', 'surrogatepass')", o, utf16));
            assertEquals((long) s.codePointCount(0, s.length()), o.len());
            return null;
        });
    }

    /**
     * Strs that Python builds itself (in its own narrowest kind: ASCII, Latin-1, UCS-2, UCS-4), and
     * instances of a str subclass (not compact), read back exactly; a str made from Java is the same
     * canonical str Python makes (equal, same hash, finds the same dict entry).
     */
    @Property
    void strsOfEveryKindReadBackAndMatchPythonsOwn(@ForAll("anyStrings") String s) {
        Python.attach(py -> {
            long[] codePoints = s.codePoints().asLongStream().toArray();
            PyObject made = py.eval("lambda cps: ''.join(map(chr, cps))").call((Object) codePoints);
            assertEquals(s, made.toJava(String.class));
            PyObject sub = py.eval("type('S', (str,), {})").call(made);
            assertEquals(s, sub.toJava(String.class));
            assertTrue(py(py, "lambda a, b: a == b and hash(a) == hash(b) and {b: 1}.get(a) == 1", py.toPython(s), made));
            return null;
        });
    }

    /** Reading a non-ASCII str copies its code units: CPython is not made to build and keep a UTF-8 copy of it. */
    @Test
    void readingANonAsciiStrLeavesItUnchanged() {
        Python.attach(py -> {
            for (String unit : new String[] {"\u00e9", "\u4e2d", "\ud83d\ude00"}) {
                PyObject o = py.eval("lambda u: u * 1000").call(unit);
                PyObject sizeOf = py.importModule("sys").getAttr("getsizeof");
                long before = sizeOf.call(o).toJava(long.class);
                assertEquals(unit.repeat(1000), o.toJava(String.class));
                assertEquals(before, sizeOf.call(o).toJava(long.class), "a UTF-8 copy was cached for " + unit);
            }
            return null;
        });
    }

    /**
     * An ASCII-looking string with one other char where the few sampled positions miss it (a '?',
     * Latin-1, BMP, a surrogate pair, a lone surrogate, NUL) keeps that char: the ASCII fast path
     * must notice it.
     */
    @Test
    void mostlyAsciiStringsKeepTheirOneOtherChar() {
        Python.attach(py -> {
            for (String odd : new String[] {"?", "\u00e9", "\u0100", "\u4e2d", "\ud83d\ude00", "\ud800", "\udc00", "\u0000"}) {
                for (int at : new int[] {0, 1, 37, 500, 998, 999}) {
                    String s = "a".repeat(at) + odd + "b".repeat(999 - at);
                    PyObject o = py.toPython(s);
                    assertEquals(s, o.toJava(String.class), "odd char U+" + Integer.toHexString(odd.codePointAt(0)) + " at " + at);
                    assertEquals((long) s.codePointCount(0, s.length()), o.len());
                    assertTrue(py(py, "lambda v, i, c: v[i] == c", o, at, odd));
                    assertEquals(s, py.eval("lambda v: v[:]").call(o).toJava(String.class));
                }
            }
            assertEquals("??".repeat(300), py.toPython("??".repeat(300)).toJava(String.class));
            PyObject empty = py.toPython("");
            assertEquals("", empty.toJava(String.class));
            assertTrue(py(py, "lambda v: type(v) is str and len(v) == 0 and v == ''", empty));
            assertEquals("", py.eval("''").toJava(String.class));
            return null;
        });
    }

    /**
     * Ints Python made itself at every digit boundary (one, two and three 30-bit digits, both
     * signs) read back exactly, also as an int subclass and a bool; one past the long range still
     * overflows.
     */
    @Test
    void intsAtEveryDigitBoundaryReadBack() {
        Python.attach(py -> {
            PyObject make = py.eval("lambda k, d, neg: -(2**k + d) if neg else 2**k + d");
            PyObject sub = py.eval("type('I', (int,), {})");
            for (int k = 0; k <= 62; k++) {
                for (int d = -2; d <= 2; d++) {
                    for (boolean neg : new boolean[] {false, true}) {
                        BigInteger v = BigInteger.ONE.shiftLeft(k).add(BigInteger.valueOf(d));
                        v = neg ? v.negate() : v;
                        PyObject o = make.call(k, d, neg);
                        assertEquals(v.longValueExact(), o.toJava(long.class), "2**" + k + " + " + d + (neg ? ", negated" : ""));
                        assertEquals(v.longValueExact(), sub.call(o).toJava(long.class));
                    }
                }
            }
            assertEquals(Long.MIN_VALUE, py.eval("-2**63").toJava(long.class));
            assertEquals(Long.MAX_VALUE, py.eval("2**63 - 1").toJava(long.class));
            assertThrows(PyOverflowError.class, () -> py.eval("2**63").toJava(long.class));
            assertThrows(PyOverflowError.class, () -> py.eval("-2**63 - 1").toJava(long.class));
            assertEquals(1L, py.eval("True").toJava(long.class));
            assertEquals(0L, py.eval("0").toJava(long.class));
            assertEquals(0L, py.eval("-0").toJava(long.class));
            return null;
        });
    }

    /**
     * Longs passed as arguments reach Python with their own value even when pyjama reuses a
     * released int for them: ints Python kept (a list holds every argument) never change, ints
     * whose handles were closed come back as new values, across the digit boundaries, both signs,
     * the small-int range and the long extremes.
     */
    @Test
    void intsPythonKeepsNeverChangeWhenReleasedIntsAreReused() {
        Python.attach(py -> {
            PyObject kept = py.eval("[]");
            PyObject keep = py.eval("lambda l: lambda x: (l.append(x), x + 1)[1]").call(kept);
            PyObject inc = py.eval("lambda x: x + 1");
            long[] bases = {0, 250, 1L << 29, 1L << 30, 1L << 31, 1L << 59, 1L << 60, Long.MAX_VALUE - 3};
            java.util.List<Long> expected = new java.util.ArrayList<>();
            for (long base : bases) {
                for (long d = -3; d <= 3; d++) {
                    for (long v : new long[] {base + d, -(base + d)}) {
                        if (v == Long.MAX_VALUE) {
                            continue; // x + 1 would leave the long range
                        }
                        // Alternate calls whose argument Python keeps with calls whose argument and
                        // result are released at once (candidates for reuse).
                        try (PyObject r = inc.call(v)) {
                            assertEquals(v + 1, r.toJava(long.class));
                        }
                        try (PyObject r = keep.call(v)) {
                            assertEquals(v + 1, r.toJava(long.class));
                        }
                        expected.add(v);
                        try (PyObject r = inc.call(v ^ 0x5555)) {
                            assertEquals((v ^ 0x5555) + 1, r.toJava(long.class));
                        }
                    }
                }
            }
            assertEquals(expected, kept.toJava(java.util.List.class));
            // Python's own view of every kept int: equal to its repr, hashed like a fresh int.
            assertTrue(py(py, "lambda l: all(int(repr(x)) == x and hash(x) == hash(int(str(x))) for x in l)", kept));
            assertTrue(py(py, "lambda l: all(type(x) is int for x in l)", kept));
            return null;
        });
    }

    /**
     * ASCII strings passed to Python are each themselves even when pyjama reuses a released str for
     * them: strs Python kept (in a list, as dict keys) never change, and a str whose old characters
     * Python had hashed hashes as its new characters (a stale cached hash would lose dict entries).
     */
    @Test
    void strsPythonKeepsNeverChangeWhenReleasedStrsAreReused() {
        Python.attach(py -> {
            PyObject kept = py.eval("[]");
            PyObject table = py.eval("{}");
            PyObject keep = py.eval("lambda l, d: lambda s, i: (l.append(s), d.__setitem__(s, i), len(s))[2]")
                    .call(kept, table);
            PyObject hashOf = py.eval("lambda s: hash(s)");
            PyObject freshHash = py.eval("lambda s: hash(s) == hash(s.encode().decode()) and s == s.encode().decode()");
            java.util.List<String> expected = new java.util.ArrayList<>();
            int i = 0;
            for (int length : new int[] {1, 2, 7, 31, 32, 33, 64, 100, 999, 1000, 1001, 4096, 70_000}) {
                for (int variant = 0; variant < 4; variant++) {
                    String temp = word(length, i * 4 + variant, 'a');
                    String mine = word(length - (variant & 1), i * 4 + variant, 'K');
                    // Python hashes a temporary str, which is then released (a candidate for reuse).
                    try (PyObject h = hashOf.call(temp)) {
                        assertTrue(h.toJava(long.class) != -1); // -1 is never a hash: it marks "not computed"
                    }
                    // The next str may be that object rewritten: it must hash as its own characters.
                    try (PyObject same = freshHash.call(mine)) {
                        assertTrue(same.isTruthy(), () -> "stale hash or characters for a str of " + mine.length());
                    }
                    try (PyObject n = keep.call(mine, expected.size())) {
                        assertEquals(mine.length(), n.toJava(int.class));
                    }
                    expected.add(mine);
                    try (PyObject back = py.toPython(temp + "!")) {
                        assertEquals(temp + "!", back.toJava(String.class));
                    }
                }
                i++;
            }
            assertEquals(expected, kept.toJava(java.util.List.class));
            java.util.Map<String, Long> lastIndex = new java.util.HashMap<>();
            for (int k = 0; k < expected.size(); k++) {
                lastIndex.put(expected.get(k), (long) k); // a word may repeat: the dict keeps its last index
            }
            PyObject lookup = py.eval("lambda d, s: d[s.encode().decode()]");
            for (String key : expected) {
                // Looked up with strs Python makes itself: every key still hashes where it was stored.
                assertEquals(lastIndex.get(key), lookup.call(table, key).toJava(long.class));
            }
            return null;
        });
    }

    /** An ASCII word of {@code length} chars that differs for each {@code seed}. */
    private static String word(int length, int seed, char base) {
        StringBuilder b = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            b.append((char) (base + (seed * 7 + k * 13) % 26));
        }
        return b.toString();
    }

    /** Many distinct longs in and out in a row: each reaches Python as itself (checked there, not only on return). */
    @Property(tries = 200)
    void longsPassedInARowAreEachThemselvesInPython(@ForAll long a, @ForAll long b, @ForAll int small) {
        Python.attach(py -> {
            PyObject same = py.eval("lambda x, s: str(x) == s");
            for (long v : new long[] {a, b, small, a ^ b, small * 1_000_003L}) {
                try (PyObject r = same.call(v, Long.toString(v))) {
                    assertTrue(r.toJava(boolean.class), () -> v + " arrived changed");
                }
            }
            return null;
        });
    }

    @Test
    void longStrsOfEveryKindRoundTrip() {
        Python.attach(py -> {
            for (String unit : new String[] {"a", "\u00e9", "\u4e2d", "\ud83d\ude00", "\udc00"}) {
                String s = unit.repeat(100_000) + "x";
                PyObject o = py.toPython(s);
                assertEquals(s, o.toJava(String.class));
                assertTrue(py(py, "lambda v, u: v == u * 100000 + 'x'", o, unit));
            }
            return null;
        });
    }

    @Property
    void bytesRoundTrip(@ForAll byte[] b) {
        Python.attach(py -> {
            PyObject o = py.toPython(b);
            assertArrayEquals(b, o.toJava(byte[].class));
            assertArrayEquals(b, (byte[]) o.toJava(Object.class));
            assertTrue(py(py, "lambda v, h: type(v) is bytes and v == bytes.fromhex(h)", o, hex(b)));
            ByteBuffer buffer = o.toJava(ByteBuffer.class);
            assertTrue(buffer.isReadOnly());
            byte[] back = new byte[buffer.remaining()];
            buffer.get(back);
            assertArrayEquals(b, back);
            return null;
        });
    }

    @Test
    void bytesWithNulsAndByteBuffersRespectPositionAndLimit() {
        Python.attach(py -> {
            assertTrue(py(py, "lambda v: v == b'\\x00a\\x00'", (Object) new byte[] {0, 'a', 0}));
            ByteBuffer heap = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
            heap.position(1).limit(4);
            assertTrue(py(py, "lambda v: v == b'\\x02\\x03\\x04'", heap));
            assertEquals(1, heap.position());
            ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {9, 8, 7, 6}).flip();
            direct.get();
            assertTrue(py(py, "lambda v: v == b'\\x08\\x07\\x06'", direct.asReadOnlyBuffer()));
            ByteBuffer back = py.eval("b'xyz'").toJava(ByteBuffer.class);
            assertThrows(ReadOnlyBufferException.class, () -> back.put((byte) 1));
            assertArrayEquals(new byte[] {1, 2}, py.eval("bytearray(b'\\x01\\x02')").toJava(byte[].class));
            return null;
        });
    }

    @Test
    void noneIsNullOnlyForObjectAndEmptyForOptional() {
        Python.attach(py -> {
            PyObject none = py.none();
            assertThrows(PyTypeError.class, () -> none.toJava(Long.class));
            assertThrows(PyTypeError.class, () -> none.toJava(String.class));
            assertNull(none.toJava(Object.class));
            assertEquals(java.util.Optional.empty(), none.toJava(java.util.Optional.class));
            PyTypeError e = assertThrows(PyTypeError.class, () -> none.toJava(long.class));
            assertTrue(e.getMessage().contains("expected int, got NoneType"), e.getMessage());
            assertTrue(py.toPython(null).isNone());
            return null;
        });
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
