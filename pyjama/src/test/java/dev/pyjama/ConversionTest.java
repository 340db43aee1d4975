package dev.pyjama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyTypeError;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code py.toPython} and {@code obj.toJava} on chosen edge values, checked against Python's view. */
class ConversionTest {

    /** Calls a Python lambda on a Java value and returns the result as a Java string. */
    private static String pyStr(Python py, String lambda, Object value) {
        return py.eval(lambda).call(value).toJava(String.class);
    }

    private static boolean pyTrue(Python py, String lambda, Object value) {
        return py.eval(lambda).call(value).toJava(boolean.class);
    }

    @Test
    void strings() {
        Python.attach(py -> {
            for (String s : List.of("", "hello", "a\0b\0", "\0", "héllo wörld", "日本語", "😀 emoji 𝄞",
                    "\uD83D\uDE00", "tab\tnew\nline", "\uFFFF\uFFFE")) {
                PyObject o = py.toPython(s);
                assertEquals("str", o.type().name());
                assertEquals(s, o.toJava(String.class), s);
                assertEquals(s.codePointCount(0, s.length()), o.len(), s);
                assertEquals(s, o.toJava(CharSequence.class));
            }
            assertEquals(3, py.toPython("a\0b").len());
            assertTrue(pyTrue(py, "lambda s: s == 'a\\x00b'", "a\0b"));
            assertTrue(pyTrue(py, "lambda s: s == '\\U0001F600'", "😀"));
            assertEquals("😀", py.eval("'\\U0001F600'").toJava(String.class));
            assertEquals("a\0b", py.eval("'a\\x00b'").toJava(String.class));
            assertEquals("", py.eval("''").toJava(String.class));
            // Character and other CharSequences convert to str
            assertEquals("x", py.toPython('x').toJava(String.class));
            assertEquals("sb", py.toPython(new StringBuilder("sb")).toJava(String.class));
            assertEquals('q', py.eval("'q'").toJava(char.class));
            return null;
        });
    }

    @Test
    void loneSurrogatesFollowTheDocumentedRule() {
        Python.attach(py -> {
            // A lone surrogate becomes the same surrogate code point in Python and comes back unchanged.
            for (String s : List.of("\uD800", "\uDFFF", "a\uDC00b", "\uDC00\uD800", "x\uD83D", "\uDE00y")) {
                PyObject o = py.toPython(s);
                assertEquals(s.length(), o.len(), s);
                assertEquals(s, o.toJava(String.class));
                List<Integer> cps = s.chars().boxed().toList();
                assertEquals(cps.toString(), pyStr(py, "lambda s: str([ord(c) for c in s])", s));
            }
            // A Python str made of a lone high then a lone low surrogate code point returns as the pair.
            PyObject twoCodePoints = py.eval("'\\ud83d' + '\\ude00'");
            assertEquals(2, twoCodePoints.len());
            assertEquals("\uD83D\uDE00", twoCodePoints.toJava(String.class));
            // ... whereas the pair from Java is one code point in Python.
            assertEquals(1, py.toPython("\uD83D\uDE00").len());
            assertEquals("[128512]", pyStr(py, "lambda s: str([ord(c) for c in s])", "\uD83D\uDE00"));
            return null;
        });
    }

    @Test
    void longs() {
        Python.attach(py -> {
            for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L, 1L << 53}) {
                PyObject o = py.toPython(v);
                assertEquals("int", o.type().name());
                assertEquals(Long.toString(v), o.repr());
                assertEquals(v, o.toJava(long.class));
                assertEquals(v, o.toJava(Long.class));
                assertEquals(BigInteger.valueOf(v), o.toJava(BigInteger.class));
            }
            assertEquals(Long.MAX_VALUE, py.eval("2**63 - 1").toJava(long.class));
            assertEquals(Long.MIN_VALUE, py.eval("-2**63").toJava(long.class));
            assertThrows(PyOverflowError.class, () -> py.eval("2**63").toJava(long.class));
            assertThrows(PyOverflowError.class, () -> py.eval("-2**63 - 1").toJava(Long.class));
            assertEquals(Long.toString(Long.MIN_VALUE), pyStr(py, "lambda v: repr(v)", Long.MIN_VALUE));
            // other integral boxes
            assertEquals("-5", py.toPython((short) -5).repr());
            assertEquals("-128", py.toPython((byte) -128).repr());
            assertEquals((short) 300, py.eval("300").toJava(short.class));
            assertThrows(PyOverflowError.class, () -> py.eval("40000").toJava(short.class));
            assertThrows(PyOverflowError.class, () -> py.eval("128").toJava(byte.class));
            return null;
        });
    }

    @Test
    void ints() {
        Python.attach(py -> {
            assertEquals(42, (int) py.eval("42").toJava(int.class));
            assertEquals(Integer.valueOf(-7), py.eval("-7").toJava(Integer.class));
            assertEquals(Integer.MAX_VALUE, (int) py.eval("2**31 - 1").toJava(int.class));
            assertEquals(Integer.MIN_VALUE, (int) py.eval("-2**31").toJava(int.class));
            assertEquals("2147483647", py.toPython(Integer.MAX_VALUE).repr());
            assertEquals("-2147483648", py.toPython(Integer.MIN_VALUE).repr());
            // overflow is an error, not a wrap
            PyOverflowError e = assertThrows(PyOverflowError.class, () -> py.eval("2**31").toJava(int.class));
            assertTrue(e.getMessage().startsWith("OverflowError"), e.getMessage());
            assertThrows(PyOverflowError.class, () -> py.eval("-2**31 - 1").toJava(Integer.class));
            assertThrows(PyOverflowError.class, () -> py.eval("2**40").toJava(int.class));
            assertThrows(PyOverflowError.class, () -> py.eval("2**100").toJava(int.class));
            return null;
        });
    }

    @Test
    void bigIntegers() {
        Python.attach(py -> {
            BigInteger two64 = BigInteger.ONE.shiftLeft(64);
            BigInteger huge = BigInteger.valueOf(7).pow(6000); // about 5,000 digits
            List<BigInteger> values = List.of(BigInteger.ZERO, two64, two64.negate(), two64.subtract(BigInteger.ONE),
                    BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE),
                    BigInteger.valueOf(Long.MIN_VALUE), BigInteger.ONE.shiftLeft(200).negate(), huge, huge.negate());
            for (BigInteger v : values) {
                PyObject o = py.toPython(v);
                assertEquals("int", o.type().name());
                assertEquals(v, o.toJava(BigInteger.class));
                assertEquals(v.toString(16), o.callMethod("__format__", "x").toJava(String.class));
            }
            assertTrue(pyTrue(py, "lambda v: v == 7**6000", huge));
            assertTrue(pyTrue(py, "lambda v: v == -(2**64)", two64.negate()));
            assertEquals(huge.negate(), py.eval("-(7**6000)").toJava(BigInteger.class));
            assertEquals(two64, py.eval("2**64").toJava(BigInteger.class));
            assertEquals(Long.toString(Long.MAX_VALUE), py.toPython(BigInteger.valueOf(Long.MAX_VALUE)).repr());
            assertThrows(PyOverflowError.class, () -> py.toPython(huge).toJava(long.class));
            return null;
        });
    }

    @Test
    void doubles() {
        Python.attach(py -> {
            PyObject nan = py.toPython(Double.NaN);
            assertEquals("float", nan.type().name());
            assertTrue(pyTrue(py, "lambda v: __import__('math').isnan(v)", Double.NaN));
            assertTrue(Double.isNaN(nan.toJava(double.class)));
            assertTrue(Double.isNaN(py.eval("float('nan')").toJava(double.class)));
            // -0.0 keeps its sign both ways
            assertEquals("-0.0", py.toPython(-0.0).repr());
            assertEquals(-1.0, py.eval("lambda v: __import__('math').copysign(1, v)").call(-0.0).toJava(double.class));
            assertEquals(Double.doubleToRawLongBits(-0.0),
                    Double.doubleToRawLongBits(py.eval("-0.0").toJava(double.class)));
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(py.eval("0.0").toJava(double.class)));
            assertEquals("inf", py.toPython(Double.POSITIVE_INFINITY).repr());
            assertEquals("-inf", py.toPython(Double.NEGATIVE_INFINITY).repr());
            assertEquals(Double.POSITIVE_INFINITY, py.eval("float('inf')").toJava(double.class));
            assertEquals(Double.NEGATIVE_INFINITY, py.eval("-float('inf')").toJava(Double.class));
            assertEquals(Double.MIN_VALUE, py.eval("5e-324").toJava(double.class));
            assertEquals(Double.MAX_VALUE, py.toPython(Double.MAX_VALUE).toJava(double.class));
            assertEquals("0.1", py.toPython(0.1).repr());
            assertEquals(1.5f, py.toPython(1.5f).toJava(float.class));
            // an int converts to double
            assertEquals(3.0, py.eval("3").toJava(double.class));
            assertThrows(PyOverflowError.class, () -> py.eval("10**400").toJava(double.class));
            return null;
        });
    }

    @Test
    void booleans() {
        Python.attach(py -> {
            assertTrue(py.eval("True").toJava(boolean.class));
            assertFalse(py.eval("1 == 2").toJava(Boolean.class));
            assertTrue(pyTrue(py, "lambda v: v is True", true));
            assertTrue(pyTrue(py, "lambda v: v is False", false));
            assertEquals("bool", py.toPython(true).type().name());
            PyTypeError e = assertThrows(PyTypeError.class, () -> py.eval("1").toJava(boolean.class));
            assertTrue(e.getMessage().contains("bool") && e.getMessage().contains("int"), e.getMessage());
            assertThrows(PyTypeError.class, () -> py.eval("0").toJava(Boolean.class));
            assertThrows(PyTypeError.class, () -> py.eval("'True'").toJava(boolean.class));
            assertThrows(PyTypeError.class, () -> py.eval("None").toJava(boolean.class));
            return null;
        });
    }

    @Test
    void bytes() {
        Python.attach(py -> {
            byte[] data = {0, 1, 0, (byte) 0xff, 0, 127, (byte) 0x80, 0};
            PyObject b = py.toPython(data);
            assertEquals("bytes", b.type().name());
            assertEquals("b'\\x00\\x01\\x00\\xff\\x00\\x7f\\x80\\x00'", b.repr());
            assertEquals(8, b.len());
            assertArrayEquals(data, b.toJava(byte[].class));
            assertArrayEquals(new byte[0], py.toPython(new byte[0]).toJava(byte[].class));
            assertArrayEquals(new byte[] {0, 65, 0}, py.eval("b'\\x00A\\x00'").toJava(byte[].class));
            assertArrayEquals(new byte[] {1, 0, 2}, py.eval("bytearray(b'\\x01\\x00\\x02')").toJava(byte[].class));
            assertThrows(PyTypeError.class, () -> py.eval("'str'").toJava(byte[].class));
            assertThrows(PyTypeError.class, () -> py.eval("[1, 2]").toJava(byte[].class));
            return null;
        });
    }

    @Test
    void nullAndNone() {
        Python.attach(py -> {
            assertTrue(py.toPython(null).isNone());
            assertEquals(py.eval("None"), py.toPython(null));
            assertNull(py.eval("None").toJava(Object.class));
            assertTrue(pyTrue(py, "lambda v: v is None", null));
            PyObject f = py.eval("lambda *a: a");
            assertEquals("(None, 1)", f.call(null, 1).repr());
            assertThrows(PyTypeError.class, () -> py.eval("None").toJava(String.class));
            assertThrows(PyTypeError.class, () -> py.eval("None").toJava(long.class));
            return null;
        });
    }

    @Test
    void wrongKindsAreTypeErrorsNamingBothTypes() {
        Python.attach(py -> {
            PyTypeError e = assertThrows(PyTypeError.class, () -> py.eval("'12'").toJava(long.class));
            assertTrue(e.getMessage().contains("int") && e.getMessage().contains("str"), e.getMessage());
            assertTrue(e.getMessage().startsWith("TypeError: "), e.getMessage());
            PyTypeError e2 = assertThrows(PyTypeError.class, () -> py.eval("12").toJava(String.class));
            assertTrue(e2.getMessage().contains("str") && e2.getMessage().contains("int"), e2.getMessage());
            PyTypeError e3 = assertThrows(PyTypeError.class, () -> py.eval("'1.5'").toJava(double.class));
            assertTrue(e3.getMessage().contains("float") && e3.getMessage().contains("str"), e3.getMessage());
            assertThrows(PyTypeError.class, () -> py.eval("1.5").toJava(long.class));
            assertThrows(PyTypeError.class, () -> py.eval("1.5").toJava(int.class));
            assertThrows(PyTypeError.class, () -> py.eval("[1]").toJava(BigInteger.class));
            // a Java object without a conversion is itself in Python (issue 18), not refused
            assertTrue(py.toPython(new Object()).repr().startsWith("<java java.lang.Object"));
            assertThrows(IllegalArgumentException.class, () -> py.eval("1").toJava(java.util.Date.class));
            return null;
        });
    }

    @Test
    void naturalJavaValues() {
        Python.attach(py -> {
            assertEquals(5L, py.eval("5").toJava(Object.class));
            assertEquals(BigInteger.ONE.shiftLeft(70), py.eval("2**70").toJava(Object.class));
            assertEquals("s", py.eval("'s'").toJava(Object.class));
            assertEquals(true, py.eval("True").toJava(Object.class));
            assertEquals(2.5, py.eval("2.5").toJava(Object.class));
            assertEquals(List.of(1L, "a", List.of()), py.eval("[1, 'a', ()]").toJava(Object.class));
            assertEquals(Map.of("k", List.of(1L)), py.eval("{'k': [1]}").toJava(Object.class));
            return null;
        });
    }
}
