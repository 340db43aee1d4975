package dev.pyjama.objects;

import static dev.pyjama.objects.TypedHandlesTest.assertPy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.CompareOp;
import dev.pyjama.PyBool;
import dev.pyjama.PyInt;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyIndexError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.exceptions.PyZeroDivisionError;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Rich comparison, hashing, truthiness and the numeric operators, each checked against Python
 * evaluating the same expression.
 */
class ComparisonAndOperatorsTest {

    private static final String[] SYMBOLS = {"<", "<=", "==", "!=", ">", ">="};

    @Test
    void allSixComparisonsMatchPython() {
        try (Python py = Python.attach()) {
            String[][] pairs = {{"1", "2"}, {"2", "2"}, {"3", "2"}, {"'a'", "'b'"}, {"(1, 2)", "(1, 3)"},
                    {"[1]", "[1]"}, {"1.5", "1"}, {"{1}", "{1, 2}"}, {"2**70", "2**70 + 1"}};
            for (String[] p : pairs) {
                PyObject a = py.eval(p[0]);
                PyObject b = py.eval(p[1]);
                for (CompareOp op : CompareOp.values()) {
                    String expr = p[0] + " " + SYMBOLS[op.ordinal()] + " " + p[1];
                    boolean expected = py.eval(expr).isTruthy();
                    assertEquals(expected, a.compare(op, b), expr);
                    PyObject rich = a.richCompare(op, b);
                    assertTrue(rich.is(PyBool.class), expr);
                    assertEquals(expected, rich.isTruthy(), expr);
                }
            }
            // Java operands are converted
            assertTrue(py.integer(5).compare(CompareOp.GT, 4L));
            assertTrue(py.str("b").compare(CompareOp.GE, "a"));
            assertThrows(PyTypeError.class, () -> py.integer(1).compare(CompareOp.LT, "a"));
            assertFalse(py.integer(1).pyEquals("1"));
        }
    }

    @Test
    void richCompareReturnsWhatTheMethodReturns() {
        try (Python py = Python.attach()) {
            py.run("""
                    class _CoVec:
                        def __lt__(self, o): return ['lt', o]
                        def __eq__(self, o): return 'eq!'
                        def __ne__(self, o): return ''
                    """);
            PyObject v = py.eval("_CoVec()");
            assertPy(py, "['lt', 3]", v.richCompare(CompareOp.LT, 3L));
            assertPy(py, "'eq!'", v.richCompare(CompareOp.EQ, 3L));
            assertTrue(v.compare(CompareOp.LT, 3L), "compare() is bool() of the result");
            assertTrue(v.pyEquals(3L));
            assertFalse(v.compare(CompareOp.NE, 3L), "bool('') is False");
            assertThrows(PyTypeError.class, () -> v.richCompare(CompareOp.GT, 3L), "__gt__ falls back to 3 < v");
        }
    }

    /**
     * Python's {@code x == x} calls {@code __eq__} (so a NaN, or an object whose {@code __eq__} says
     * False, is not equal to itself); only containers take the identity shortcut. compare() and
     * pyEquals() document themselves as {@code self <op> other} / {@code self == other}.
     */
    @Test
    void compareIsPythonsOperatorNotIdentityShortcut() {
        try (Python py = Python.attach()) {
            py.run("class _CoNeverEq:\n    def __eq__(self, o): return False\n    def __ne__(self, o): return True\n"
                    + "_co_nan = float('nan')\n_co_never = _CoNeverEq()\n");
            PyObject nan = py.eval("_co_nan");
            assertFalse(py.eval("_co_nan == _co_nan").isTruthy());
            assertFalse(nan.richCompare(CompareOp.EQ, nan).isTruthy(), "richCompare agrees with Python");
            assertFalse(nan.pyEquals(nan), "nan == nan is False in Python, also for the same object");
            assertTrue(nan.compare(CompareOp.NE, nan), "nan != nan is True in Python, also for the same object");
            PyObject never = py.eval("_co_never");
            assertFalse(never.pyEquals(never), "x == x calls __eq__, which says False");
        }
    }

    @Test
    void pyHashIsPythonsHash() {
        try (Python py = Python.attach()) {
            PyObject hash = py.builtins().getAttr("hash");
            for (String e : List.of("0", "-1", "-2", "2**64 + 5", "-(2**100)", "'abc'", "''", "1.5", "-0.0", "True",
                    "(1, 'a', None)", "frozenset({1, 2})", "None", "b'\\x00x'", "3+4j")) {
                PyObject o = py.eval(e);
                assertEquals(hash.call(o).toJava(long.class), o.pyHash(), "hash(" + e + ")");
            }
            assertEquals(-2, py.integer(-1).pyHash(), "hash(-1) is -2 in CPython");
            assertThrows(PyTypeError.class, () -> py.eval("[]").pyHash());
            assertThrows(PyTypeError.class, () -> py.eval("{}").pyHash());
            py.run("class _CoBadHash:\n    def __hash__(self): raise ValueError('no hash')\n");
            assertThrows(PyValueError.class, () -> py.eval("_CoBadHash()").pyHash());
        }
    }

    @Test
    void truthinessMatchesBool() {
        try (Python py = Python.attach()) {
            py.run("class _CoFalsy:\n    def __bool__(self): return False\n"
                    + "class _CoEmpty:\n    def __len__(self): return 0\n"
                    + "class _CoBadBool:\n    def __bool__(self): raise KeyError('b')\n");
            for (String e : List.of("[]", "0", "''", "None", "0.0", "-0.0", "{}", "set()", "()", "b''", "False",
                    "_CoFalsy()", "_CoEmpty()", "0j", "range(0)")) {
                assertFalse(py.eval(e).isTruthy(), e);
            }
            for (String e : List.of("[0]", "1", "-1", "'a'", "' '", "object()", "(None,)", "{0: 0}", "True", "2**80",
                    "float('nan')", "len")) {
                assertTrue(py.eval(e).isTruthy(), e);
            }
            assertThrows(PyKeyError.class, () -> py.eval("_CoBadBool()").isTruthy());
            assertFalse(py.none().isTruthy());
            assertFalse(py.list().isTruthy());
            assertTrue(py.list(0L).isTruthy());
        }
    }

    // --- numeric operators against Python, as a property over ints of any size ---

    private static final Map<String, BiFunction<PyObject, Object, PyObject>> BINARY = Map.ofEntries(
            Map.entry("+", PyObject::plus), Map.entry("-", PyObject::minus), Map.entry("*", PyObject::times),
            Map.entry("/", PyObject::div), Map.entry("//", PyObject::floorDiv), Map.entry("%", PyObject::mod),
            Map.entry("&", PyObject::and), Map.entry("|", PyObject::or), Map.entry("^", PyObject::xor));

    private static final Map<String, Function<PyObject, PyObject>> UNARY = Map.of(
            "-", PyObject::negate, "+", PyObject::unaryPlus, "~", PyObject::inv, "abs", PyObject::abs);

    @Provide
    Arbitrary<BigInteger> ints() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(130).negate(), BigInteger.TWO.pow(130)),
                Arbitraries.bigIntegers().between(BigInteger.valueOf(-300), BigInteger.valueOf(300)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate(),
                        BigInteger.valueOf(Long.MAX_VALUE), BigInteger.valueOf(Long.MIN_VALUE)));
    }

    @Property(tries = 150)
    void binaryIntOperatorsAgreeWithPython(@ForAll("ints") BigInteger a, @ForAll("ints") BigInteger b) {
        try (Python py = Python.attach()) {
            PyInt x = py.integer(a);
            for (var op : BINARY.entrySet()) {
                String expr = "(" + a + ") " + op.getKey() + " (" + b + ")";
                boolean zeroDiv = b.signum() == 0 && List.of("/", "//", "%").contains(op.getKey());
                if (zeroDiv) {
                    assertThrows(PyZeroDivisionError.class, () -> op.getValue().apply(x, b), expr);
                    continue;
                }
                PyObject expected = py.eval(expr);
                PyObject actual = op.getValue().apply(x, b);
                assertTrue(actual.pyEquals(expected), expr + ": expected " + expected.repr() + " got " + actual.repr());
                assertEquals(expected.type(), actual.type(), expr);
            }
            for (var op : UNARY.entrySet()) {
                String expr = op.getKey() + "(" + a + ")";
                assertPy(py, expr, op.getValue().apply(x));
            }
        }
    }

    @Property(tries = 60)
    void powAndShiftsAgreeWithPython(@ForAll("ints") BigInteger a, @ForAll @IntRange(min = -3, max = 70) int n) {
        try (Python py = Python.attach()) {
            PyInt x = py.integer(a);
            if (a.signum() == 0 && n < 0) {
                assertThrows(PyZeroDivisionError.class, () -> x.pow(n));
            } else {
                assertPy(py, "(" + a + ") ** (" + n + ")", x.pow(n));
            }
            if (n < 0) {
                assertThrows(PyValueError.class, () -> x.shl(n), "negative shift count");
                assertThrows(PyValueError.class, () -> x.shr(n));
            } else {
                assertPy(py, "(" + a + ") << " + n, x.shl(n));
                assertPy(py, "(" + a + ") >> " + n, x.shr(n));
            }
        }
    }

    @Test
    void floatAndMixedArithmetic() {
        try (Python py = Python.attach()) {
            assertPy(py, "7 / 2", py.integer(7).div(2L));
            assertPy(py, "-7 // 2", py.integer(-7).floorDiv(2L));
            assertPy(py, "-7 % 3", py.integer(-7).mod(3L));
            assertPy(py, "7.5 % -2", py.floating(7.5).mod(-2L));
            assertPy(py, "2 ** -1", py.integer(2).pow(-1L));
            assertPy(py, "1.5 * 4", py.floating(1.5).times(4L));
            assertPy(py, "abs(-2.5)", py.floating(-2.5).abs());
            assertPy(py, "-(0.0)", py.floating(0.0).negate());
            assertPy(py, "True + True", py.bool(true).plus(true));
            assertThrows(PyZeroDivisionError.class, () -> py.integer(1).div(0L));
            assertThrows(PyZeroDivisionError.class, () -> py.integer(1).floorDiv(0L));
            assertThrows(PyZeroDivisionError.class, () -> py.integer(1).mod(0L));
            assertThrows(PyZeroDivisionError.class, () -> py.floating(1.0).div(0.0));
            assertThrows(PyZeroDivisionError.class, () -> py.floating(0.0).pow(-1L));
            assertThrows(PyTypeError.class, () -> py.floating(1.5).inv());
            assertThrows(PyTypeError.class, () -> py.integer(1).plus("a"));
            assertThrows(PyTypeError.class, () -> py.str("a").negate());
        }
    }

    @Test
    void sequenceAndSetOperators() {
        try (Python py = Python.attach()) {
            PyList a = py.list(1L);
            PyObject concat = a.plus(py.list(2L, 3L));
            assertPy(py, "[1, 2, 3]", concat);
            assertPy(py, "[1]", a);
            assertFalse(concat.equals(a), "plus makes a new list");
            assertPy(py, "[1, 2]", a.plus(List.of(2L)));
            assertPy(py, "[0, 0, 0]", py.list(0L).times(3L));
            assertPy(py, "'abab'", py.str("ab").times(2L));
            assertPy(py, "'ab' + 'cd'", py.str("ab").plus("cd"));
            assertPy(py, "(1, 2)", py.tuple(1L).plus(py.tuple(2L)));
            assertPy(py, "b'ab'", py.bytes(new byte[] {'a'}).plus(py.bytes(new byte[] {'b'})));
            assertPy(py, "'%d-%s' % (5, 'x')", py.str("%d-%s").mod(py.tuple(5L, "x")));
            assertPy(py, "{1, 2, 3}", py.set(1L, 2L).or(py.set(2L, 3L)));
            assertPy(py, "{2}", py.set(1L, 2L).and(py.set(2L, 3L)));
            assertPy(py, "{1}", py.set(1L, 2L).minus(py.set(2L, 3L)));
            assertPy(py, "{1, 3}", py.set(1L, 2L).xor(py.set(2L, 3L)));
            assertPy(py, "frozenset({1, 2})", py.frozenSet(1L).or(py.set(2L)));
            assertPy(py, "{'a': 1, 'b': 3}", py.eval("{'a': 1, 'b': 2}").or(py.eval("{'b': 3}")));
            assertThrows(PyTypeError.class, () -> py.list(1L).minus(py.list(1L)));
        }
    }

    @Test
    void matmulUsesDunderMatmul() {
        try (Python py = Python.attach()) {
            py.run("class _CoMat:\n"
                    + "    def __init__(self, v): self.v = v\n"
                    + "    def __matmul__(self, o): return ('matmul', self.v, o)\n"
                    + "    def __rmatmul__(self, o): return ('rmatmul', self.v, o)\n");
            assertPy(py, "('matmul', 2, 3)", py.eval("_CoMat(2)").matmul(3L));
            assertPy(py, "('rmatmul', 4, 5)", py.integer(5).matmul(py.eval("_CoMat(4)")));
            assertThrows(PyTypeError.class, () -> py.integer(1).matmul(2L));
        }
    }

    @Test
    void getItemWithSlicesAndDelItem() {
        try (Python py = Python.attach()) {
            PyObject l = py.eval("list(range(10))");
            assertPy(py, "[2, 3, 4]", l.getItem(py.slice(2L, 5L, null)));
            assertPy(py, "[9, 6, 3, 0]", l.getItem(py.slice(null, null, -3L)));
            assertPy(py, "'ol'", py.str("hello world").getItem(py.slice(4L, 11L, 5L)));
            assertPy(py, "(1, 2)", py.tuple(0L, 1L, 2L).getItem(py.slice(1L, null, null)));
            l.setItem(py.slice(0L, 3L, null), List.of("x"));
            assertPy(py, "['x', 3, 4, 5, 6, 7, 8, 9]", l);
            l.delItem(0);
            assertPy(py, "[3, 4, 5, 6, 7, 8, 9]", l);
            l.delItem(-1);
            l.delItem(py.slice(null, null, 2L));
            assertPy(py, "[4, 6, 8]", l);
            assertThrows(PyIndexError.class, () -> l.delItem(5));
            PyObject d = py.eval("{'a': 1, 'b': 2}");
            d.delItem("a");
            assertPy(py, "{'b': 2}", d);
            assertThrows(PyKeyError.class, () -> d.delItem("a"));
            assertThrows(PyTypeError.class, () -> py.tuple(1L).delItem(0));
        }
    }
}
