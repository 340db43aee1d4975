package dev.pyjama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.exceptions.PyOverflowError;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Round trips and agreement with Python's own view, for generated values. */
class ConversionProperties {

    @Property(tries = 300)
    void longsRoundTripAndAgreeWithPythonRepr(@ForAll long x) {
        Python.attach(py -> {
            PyObject o = py.toPython(x);
            assertEquals(x, o.toJava(long.class));
            assertEquals(Long.toString(x), py.eval("lambda v: repr(v)").call(x).toJava(String.class));
            assertEquals(BigInteger.valueOf(x), o.toJava(BigInteger.class));
            return null;
        });
    }

    @Property(tries = 200)
    void intsRoundTripAndLongsOutsideIntRangeOverflow(@ForAll int x, @ForAll long y) {
        Python.attach(py -> {
            assertEquals(x, (int) py.toPython(x).toJava(int.class));
            assertEquals(Integer.toString(x), py.toPython(x).repr());
            if (y < Integer.MIN_VALUE || y > Integer.MAX_VALUE) {
                assertThrows(PyOverflowError.class, () -> py.toPython(y).toJava(int.class));
            } else {
                assertEquals((int) y, (int) py.toPython(y).toJava(int.class));
            }
            return null;
        });
    }

    @Property(tries = 200)
    void bigIntegersRoundTripAndAgreeWithPythonStr(@ForAll("bigIntegers") BigInteger x) {
        Python.attach(py -> {
            PyObject o = py.toPython(x);
            assertEquals(x, o.toJava(BigInteger.class));
            assertEquals(x.toString(), py.eval("lambda v: str(v)").call(x).toJava(String.class));
            boolean fits = x.bitLength() < 64;
            if (fits) {
                assertEquals(x.longValueExact(), o.toJava(long.class));
            } else {
                assertThrows(PyOverflowError.class, () -> o.toJava(long.class));
            }
            return null;
        });
    }

    @Provide
    Arbitrary<BigInteger> bigIntegers() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers(),
                Arbitraries.integers().between(0, 3000).flatMap(bits -> Arbitraries.randomValue(r -> {
                    BigInteger v = new BigInteger(bits, r);
                    return r.nextBoolean() ? v.negate() : v;
                })),
                Arbitraries.integers().between(60, 68).flatMap(bits -> Arbitraries.of(-1, 0, 1).map(d -> {
                    BigInteger p = BigInteger.ONE.shiftLeft(bits).add(BigInteger.valueOf(d));
                    return p;
                })).flatMap(p -> Arbitraries.of(p, p.negate())));
    }

    @Property(tries = 300)
    void doublesRoundTripBitForBit(@ForAll double x) {
        Python.attach(py -> {
            double back = py.toPython(x).toJava(double.class);
            if (Double.isNaN(x)) {
                assertTrue(Double.isNaN(back));
                assertTrue(py.eval("lambda v: v != v").call(x).toJava(boolean.class));
            } else {
                assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(back));
                // Python sees the same IEEE bits
                long pyBits = py.eval("lambda v: __import__('struct').unpack('<q', __import__('struct').pack('<d', v))[0]")
                        .call(x).toJava(long.class);
                assertEquals(Double.doubleToRawLongBits(x), pyBits);
            }
            return null;
        });
    }

    @Property(tries = 300)
    void stringsRoundTripAndPythonLenIsCodePointCount(@ForAll("strings") String s) {
        Python.attach(py -> {
            PyObject o = py.toPython(s);
            assertEquals(s, o.toJava(String.class));
            assertEquals(s.codePointCount(0, s.length()), o.len());
            List<Long> javaCodePoints = s.codePoints().mapToObj(c -> (long) c).toList();
            assertEquals(javaCodePoints, py.eval("lambda s: [ord(c) for c in s]").call(s).toJava(Object.class));
            return null;
        });
    }

    @Provide
    Arbitrary<String> strings() {
        Arbitrary<String> anyUnits = Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(40);
        Arbitrary<String> anyCodePoints = Arbitraries.integers().between(0, 0x10FFFF).list().ofMaxSize(30)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
        Arbitrary<String> surrogateHeavy = Arbitraries.strings().withChars('\uD800', '\uDBFF', '\uDC00', '\uDFFF',
                '\uD83D', '\uDE00', 'a', '\0').ofMaxLength(12);
        return Arbitraries.oneOf(anyUnits, anyCodePoints, surrogateHeavy, Arbitraries.strings().ascii());
    }

    @Property(tries = 200)
    void bytesRoundTrip(@ForAll @Size(max = 200) byte[] data) {
        Python.attach(py -> {
            PyObject o = py.toPython(data);
            assertArrayEquals(data, o.toJava(byte[].class));
            assertEquals(data.length, o.len());
            if (data.length > 0) {
                assertEquals(Byte.toUnsignedInt(data[0]), o.getItem(0).toJava(int.class));
            }
            return null;
        });
    }

    @Property(tries = 50)
    void booleansRoundTrip(@ForAll boolean b) {
        Python.attach(py -> {
            assertEquals(b, py.toPython(b).toJava(boolean.class));
            assertEquals(b ? "True" : "False", py.toPython(b).repr());
            return null;
        });
    }
}
