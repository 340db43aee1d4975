package dev.pyjama.objects;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.CompareOp;
import dev.pyjama.PyBool;
import dev.pyjama.PyByteArray;
import dev.pyjama.PyBytes;
import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.PyFloat;
import dev.pyjama.PyFrozenSet;
import dev.pyjama.PyInt;
import dev.pyjama.PyIterator;
import dev.pyjama.PyList;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.PySet;
import dev.pyjama.PySlice;
import dev.pyjama.PyStr;
import dev.pyjama.PyTuple;
import dev.pyjama.PyType;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.exceptions.PyIndexError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyLookupError;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyUnicodeDecodeError;
import dev.pyjama.exceptions.PyUnicodeEncodeError;
import dev.pyjama.exceptions.PyValueError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each typed handle: built on the token, and its operations checked against what Python itself
 * computes for the same operation (the expected values are Python expressions, evaluated by the
 * interpreter under test, or literals Python would print).
 */
class TypedHandlesTest {

    /** Python's {@code ==} between {@code actual} and the value of {@code pythonExpr}, with a readable failure. */
    static void assertPy(Python py, String pythonExpr, PyObject actual) {
        PyObject expected = py.eval(pythonExpr);
        assertTrue(actual.pyEquals(expected),
                () -> "expected " + expected.repr() + " (" + pythonExpr + ") but was " + actual.repr());
        assertEquals(expected.type(), actual.type(), "type of " + actual.repr());
    }

    // --- str ---

    @Test
    void strWithCharactersBeyondTheBmp() {
        try (Python py = Python.attach()) {
            String s = "a\u00e9\u4e2d\uD83D\uDE00\uD834\uDD1E"; // a é 中 😀 𝄞: 5 code points, 7 UTF-16 units
            PyStr p = py.str(s);
            assertEquals(s, p.value());
            assertEquals(7, s.length());
            assertEquals(5, p.length(), "length in code points");
            assertEquals(5, p.len());
            assertPy(py, "'a\\u00e9\\u4e2d\\U0001F600\\U0001D11E'", p);
            assertEquals("\uD83D\uDE00", p.getItem(3).toJava(String.class), "indexing is by code point");
            assertPy(py, "0x1F600", py.builtins().getAttr("ord").call(p.getItem(3)));
        }
    }

    @Test
    void strEncodeDecodeRoundTrip() {
        try (Python py = Python.attach()) {
            String s = "na\u00efve \u2603 \uD83D\uDE00 \u0000end";
            PyStr p = py.str(s);
            PyBytes utf8 = p.encode("utf-8");
            assertArrayEquals(s.getBytes(UTF_8), utf8.toByteArray());
            assertEquals(s, utf8.decode("utf-8").value());
            PyBytes utf16 = p.encode("utf-16-le");
            assertArrayEquals(s.getBytes(UTF_16LE), utf16.toByteArray());
            assertEquals(s, utf16.decode("utf-16-le").value());
            assertThrows(PyUnicodeEncodeError.class, () -> p.encode("ascii"));
            assertEquals("na?ve ? ? \u0000end", p.encode("ascii", "replace").decode("ascii").value());
            assertThrows(PyLookupError.class, () -> p.encode("no-such-codec"));
            assertThrows(PyUnicodeDecodeError.class, () -> py.bytes(new byte[] {(byte) 0xff}).decode("utf-8"));
            PyStr empty = py.str("");
            assertEquals("", empty.value());
            assertEquals(0, empty.length());
            assertFalse(empty.isTruthy());
        }
    }

    // --- numbers ---

    @Test
    void intsBeyondSixtyFourBits() {
        try (Python py = Python.attach()) {
            BigInteger big = BigInteger.TWO.pow(100).add(BigInteger.ONE);
            PyInt i = py.integer(big);
            assertPy(py, "2**100 + 1", i);
            assertEquals(big, i.toBigInteger());
            assertThrows(PyOverflowError.class, i::toLong);
            PyInt neg = py.integer(big.negate());
            assertPy(py, "-(2**100 + 1)", neg);
            assertEquals(big.negate(), neg.toBigInteger());
            PyInt min = py.integer(Long.MIN_VALUE);
            assertPy(py, "-2**63", min);
            assertEquals(Long.MIN_VALUE, min.toLong());
            assertThrows(PyOverflowError.class, () -> py.integer(1L << 40).toInt());
            assertEquals(-7, py.integer(-7).toInt());
            // arithmetic stays exact past 64 bits
            assertEquals(big.multiply(big), i.times(i).toJava(BigInteger.class));
            assertPy(py, "(2**100 + 1) ** 2", i.times(i));
            PyInt fromBigSmall = py.integer(BigInteger.valueOf(42));
            assertPy(py, "42", fromBigSmall);
        }
    }

    @Test
    void floatsNegativeZeroNanAndInfinity() {
        try (Python py = Python.attach()) {
            PyFloat negZero = py.floating(-0.0);
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(negZero.value()));
            assertEquals("-0.0", negZero.repr());
            assertEquals(-1.0, py.importModule("math").callMethod("copysign", 1.0, negZero).toJava(double.class));
            assertTrue(negZero.pyEquals(0.0), "-0.0 == 0.0 in Python");
            assertFalse(negZero.isTruthy());

            PyFloat nan = py.floating(Double.NaN);
            assertTrue(Double.isNaN(nan.value()));
            assertEquals("nan", nan.repr());
            assertFalse(nan.pyEquals(Double.NaN), "nan != nan in Python");
            assertTrue(nan.compare(CompareOp.NE, Double.NaN));
            // (the same NaN object compared with itself: see ComparisonAndOperatorsTest.compareIsPythonsOperatorNotIdentityShortcut)
            assertTrue(nan.equals(nan), "Java equals is identity, so a NaN handle equals itself");
            assertTrue(py.importModule("math").callMethod("isnan", nan).isTruthy());

            assertEquals("inf", py.floating(Double.POSITIVE_INFINITY).repr());
            assertEquals("-inf", py.floating(Double.NEGATIVE_INFINITY).repr());
            assertEquals(Double.MIN_VALUE, py.floating(Double.MIN_VALUE).value());
            assertPy(py, "5e-324", py.floating(Double.MIN_VALUE));
        }
    }

    @Test
    void boolsAreThePythonSingletons() {
        try (Python py = Python.attach()) {
            PyBool t = py.bool(true);
            PyBool f = py.bool(false);
            assertTrue(t.value());
            assertFalse(f.value());
            assertEquals(py.eval("True"), t, "py.bool(true) is True");
            assertEquals(py.eval("False"), f, "py.bool(false) is False");
            assertPy(py, "2", t.plus(1));
        }
    }

    // --- bytes and bytearray ---

    @Test
    void bytesWithNuls() {
        try (Python py = Python.attach()) {
            byte[] data = {0, 1, 0, (byte) 0xff, 0};
            PyBytes b = py.bytes(data);
            assertEquals(5, b.length());
            assertArrayEquals(data, b.toByteArray());
            assertPy(py, "b'\\x00\\x01\\x00\\xff\\x00'", b);
            data[1] = 9;
            assertEquals(1, b.getItem(1).toJava(int.class), "bytes copies its input");
            assertEquals(0, py.bytes(new byte[0]).length());
            assertThrows(PyTypeError.class, () -> b.setItem(0, 1), "bytes are immutable");
        }
    }

    @Test
    void byteArrayWithNulsIsMutable() {
        try (Python py = Python.attach()) {
            PyByteArray a = py.byteArray(new byte[] {0, 'a', 0});
            assertPy(py, "bytearray(b'\\x00a\\x00')", a);
            a.extend(new byte[] {0, (byte) 0x80});
            assertEquals(5, a.length());
            a.setItem(0, 65);
            assertPy(py, "bytearray(b'Aa\\x00\\x00\\x80')", a);
            byte[] copy = a.toByteArray();
            assertArrayEquals(new byte[] {'A', 'a', 0, 0, (byte) 0x80}, copy);
            copy[0] = 0;
            assertEquals(65, a.getItem(0).toJava(int.class), "toByteArray is a copy");
        }
    }

    // --- list ---

    @Test
    void listOperationsMatchPython() {
        try (Python py = Python.attach()) {
            PyList l = py.list(3L, "b", null);
            assertPy(py, "[3, 'b', None]", l);
            assertEquals(3, l.size());
            l.append(1.5);
            assertPy(py, "[3, 'b', None, 1.5]", l);
            l.insert(0, "first");
            l.insert(-1, "beforeLast");
            l.insert(100, "clampedToEnd");
            l.insert(-100, "clampedToStart");
            assertPy(py, "['clampedToStart', 'first', 3, 'b', None, 'beforeLast', 1.5, 'clampedToEnd']", l);
            assertEquals(3, l.index("b"));
            assertThrows(PyValueError.class, () -> l.index("absent"));
            assertEquals("clampedToEnd", l.get(-1).toJava(String.class));
            assertEquals("clampedToStart", l.get(-8).toJava(String.class));
            assertThrows(PyIndexError.class, () -> l.get(8));
            assertThrows(PyIndexError.class, () -> l.get(-9));
            assertPy(py, "[3, 'b', None]", l.slice(2, 5));
            assertPy(py, "['beforeLast', 1.5]", l.slice(-3, -1));
            assertPy(py, "[]", l.slice(5, 2));
            assertPy(py, "'clampedToEnd'", l.pop(-1));
            assertPy(py, "'clampedToStart'", l.pop(0));
            assertThrows(PyIndexError.class, () -> l.pop(50));
            assertPy(py, "['first', 3, 'b', None, 'beforeLast', 1.5]", l);
            l.set(-1, 2);
            assertPy(py, "['first', 3, 'b', None, 'beforeLast', 2]", l);
            assertPy(py, "('first', 3, 'b', None, 'beforeLast', 2)", l.toTuple());
        }
    }

    @Test
    void listExtendSortReverse() {
        try (Python py = Python.attach()) {
            PyList l = py.list(5L);
            l.extend(List.of(3L, 9L));
            l.extend(py.list(1L, 7L));
            l.extend(py.eval("range(2)"));
            assertPy(py, "[5, 3, 9, 1, 7, 0, 1]", l);
            l.sort();
            assertPy(py, "[0, 1, 1, 3, 5, 7, 9]", l);
            l.reverse();
            assertPy(py, "[9, 7, 5, 3, 1, 1, 0]", l);

            PyList words = py.list("pear", "Fig", "apple", "kiwi", "Banana");
            words.sort();
            assertPy(py, "sorted(['pear', 'Fig', 'apple', 'kiwi', 'Banana'])", words);
            words.sort(py.eval("str.lower"), false);
            assertPy(py, "['apple', 'Banana', 'Fig', 'kiwi', 'pear']", words);
            words.sort(py.eval("len"), true);
            // stable: equal keys keep their previous order, as in Python
            assertPy(py, "sorted(['apple', 'Banana', 'Fig', 'kiwi', 'pear'], key=len, reverse=True)", words);
            words.sort(null, true);
            assertPy(py, "sorted(['pear', 'Fig', 'apple', 'kiwi', 'Banana'], reverse=True)", words);
            PyList mixed = py.list(1L, "a");
            assertThrows(PyTypeError.class, mixed::sort);
        }
    }

    // --- tuple ---

    @Test
    void tupleOperations() {
        try (Python py = Python.attach()) {
            PyTuple t = py.tuple(1L, "x", null, 2.5);
            assertPy(py, "(1, 'x', None, 2.5)", t);
            assertEquals(4, t.size());
            assertTrue(t.get(-2).isNone());
            assertPy(py, "('x', None)", t.slice(1, 3));
            assertEquals(4, t.asList().size());
            assertThrows(UnsupportedOperationException.class, () -> t.asList().add(py.none()));
            assertThrows(PyTypeError.class, () -> t.setItem(0, 1));
            assertPy(py, "()", py.tuple());
            assertEquals(py.eval("hash((1, 'x', None, 2.5))").toJava(long.class), t.pyHash());
        }
    }

    // --- dict ---

    @Test
    void dictGetPutContainsSetDefaultPop() {
        try (Python py = Python.attach()) {
            PyDict d = py.dict();
            assertEquals(0, d.size());
            d.put("a", 1L);
            d.put(2L, "two");
            d.put(py.tuple(1L, 2L), null);
            assertPy(py, "{'a': 1, 2: 'two', (1, 2): None}", d);
            assertEquals(Optional.empty(), d.get("missing"));
            assertEquals(1L, d.get("a").orElseThrow().toJava(long.class));
            assertTrue(d.get(py.tuple(1L, 2L)).orElseThrow().isNone(), "a present None is not a missing key");
            assertPy(py, "'dflt'", d.get("missing", "dflt"));
            assertTrue(d.get("missing", null).isNone());
            assertPy(py, "1", d.get("a", "dflt"));
            assertTrue(d.containsKey("a"));
            assertTrue(d.containsKey(2L));
            assertFalse(d.containsKey("b"));
            assertThrows(PyTypeError.class, () -> d.containsKey(py.list()), "unhashable key");
            assertThrows(PyTypeError.class, () -> d.put(py.list(), 1L));

            assertPy(py, "1", d.setDefault("a", 99L));
            assertPy(py, "99", d.setDefault("new", 99L));
            assertPy(py, "99", d.get("new").orElseThrow());

            assertPy(py, "99", d.pop("new"));
            assertFalse(d.containsKey("new"));
            PyKeyError e = assertThrows(PyKeyError.class, () -> d.pop("new"));
            assertTrue(e.getMessage().contains("'new'"), e.getMessage());
            assertPy(py, "'fallback'", d.pop("new", "fallback"));
            assertPy(py, "'two'", d.pop(2L, "fallback"));
            assertPy(py, "{'a': 1, (1, 2): None}", d);
        }
    }

    @Test
    void dictUpdateViewsClearCopy() {
        try (Python py = Python.attach()) {
            PyDict d = py.dict(Map.of("a", 1L));
            Map<String, Object> javaMap = new LinkedHashMap<>();
            javaMap.put("b", 2L);
            javaMap.put("a", 10L);
            d.update(javaMap);
            assertPy(py, "{'a': 10, 'b': 2}", d);
            d.update(py.dict(Map.of("c", List.of(1L, 2L))));
            assertPy(py, "{'a': 10, 'b': 2, 'c': [1, 2]}", d);
            // As Python's dict.update: neither a mapping nor an iterable of pairs is a TypeError...
            assertThrows(dev.pyjama.exceptions.PyTypeError.class, () -> d.update(5L));
            // ...and an iterable of pairs works.
            d.update(py.eval("[('p', 1)]"));
            assertEquals(1L, d.get("p").orElseThrow().toJava(long.class));
            d.delItem("p");
            PyDict viaOrdered = py.dict();
            viaOrdered.update(py.eval("__import__('collections').OrderedDict([('x', 1)])"));
            viaOrdered.update(py.eval("__import__('types').MappingProxyType({'y': 2})"));
            assertPy(py, "{'x': 1, 'y': 2}", viaOrdered);

            PyObject keys = d.keys();
            PyObject values = d.values();
            PyObject items = d.items();
            assertPy(py, "['a', 'b', 'c']", py.builtins().getAttr("list").call(keys));
            assertPy(py, "[10, 2, [1, 2]]", py.builtins().getAttr("list").call(values));
            assertPy(py, "[('a', 10), ('b', 2), ('c', [1, 2])]", py.builtins().getAttr("list").call(items));
            assertEquals("dict_keys", keys.type().name());
            assertEquals("dict_items", items.type().name());
            d.put("z", 26L);
            assertEquals(4, keys.len(), "Python's dict views are live");
            assertTrue(keys.contains("z"));
            assertTrue(items.contains(py.tuple("z", 26L)));

            PyDict copy = d.copy();
            assertPy(py, "{'a': 10, 'b': 2, 'c': [1, 2], 'z': 26}", copy);
            assertFalse(copy.equals(d), "copy is a new dict");
            d.clear();
            assertEquals(0, d.size());
            assertPy(py, "{}", d);
            assertEquals(4, copy.size(), "copy is unaffected by clear");
            assertEquals(0, keys.len());
        }
    }

    // --- set and frozenset ---

    @Test
    void setOperations() {
        try (Python py = Python.attach()) {
            PySet s = py.set(1L, 2L, 3L);
            assertPy(py, "{1, 2, 3}", s);
            s.add(4L);
            s.add(1L);
            assertEquals(4, s.size());
            assertTrue(s.discard(4L));
            assertFalse(s.discard(4L), "discard of a missing element is not an error");
            assertTrue(s.contains(2L));
            assertFalse(s.contains(4L));
            PySet other = py.set(3L, 5L);
            assertPy(py, "{1, 2, 3, 5}", s.union(other));
            assertPy(py, "{3}", s.intersection(other));
            assertPy(py, "{1, 2}", s.difference(other));
            assertPy(py, "{1, 2, 3, 5}", s.union(List.of(5L, 5L)));
            assertPy(py, "{1, 2, 3}", s);
            assertThrows(PyTypeError.class, () -> s.add(py.list()));
            assertThrows(PyTypeError.class, s::pyHash, "set is unhashable");
            s.clear();
            assertEquals(0, s.size());
        }
    }

    @Test
    void frozenSetIsHashableAndUsableAsDictKey() {
        try (Python py = Python.attach()) {
            PyFrozenSet fs = py.frozenSet(1L, 2L);
            assertPy(py, "frozenset({1, 2})", fs);
            assertEquals(py.eval("hash(frozenset({1, 2}))").toJava(long.class), fs.pyHash());
            PyDict d = py.dict();
            d.put(fs, "v");
            assertPy(py, "'v'", d.get(py.frozenSet(2L, 1L)).orElseThrow());
            assertPy(py, "{frozenset({1, 2}): 'v'}", d);
            PyFrozenSet u = fs.union(py.set(3L));
            assertPy(py, "frozenset({1, 2, 3})", u);
            assertEquals(3, u.size());
            assertThrows(UnsupportedOperationException.class, () -> fs.asSet().clear());
            assertEquals(2, fs.asSet().size());
        }
    }

    // --- slice ---

    @Test
    void slicesOnListsRangesAndStrings() {
        try (Python py = Python.attach()) {
            PyList l = py.list(0L, 1L, 2L, 3L, 4L, 5L);
            PySlice odd = py.slice(1L, null, 2L);
            assertPy(py, "slice(1, None, 2)", odd);
            assertPy(py, "[1, 3, 5]", l.getItem(odd));
            assertPy(py, "[5, 4, 3, 2, 1, 0]", l.getItem(py.slice(null, null, -1L)));
            assertPy(py, "[4, 5]", l.getItem(py.slice(-2L, null, null)));
            PyObject range = py.eval("range(10)");
            assertPy(py, "range(7, 10)", range.getItem(py.slice(-3L, null, null)));
            assertPy(py, "range(0, 10, 3)", range.getItem(py.slice(null, null, 3L)));
            assertPy(py, "'el'", py.str("hello").getItem(py.slice(1L, 4L, 2L)));
            assertEquals(List.of(1L, 10L, 2L), toLongs(odd.indices(10)));
            assertEquals(List.of(9L, -1L, -1L), toLongs(py.slice(null, null, -1L).indices(10)));
            assertThrows(PyValueError.class, () -> l.getItem(py.slice(null, null, 0L)));
        }
    }

    private static List<Long> toLongs(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long x : a) {
            out.add(x);
        }
        return out;
    }

    // --- iterator, callable, module, type, none, builtins, intern ---

    @Test
    void iteratorOverAGenerator() {
        try (Python py = Python.attach()) {
            py.run("def _th_gen(n):\n    for i in range(n):\n        yield i * i\n");
            PyIterator it = py.eval("_th_gen(4)").as(PyIterator.class);
            assertTrue(it.hasNext());
            assertTrue(it.hasNext(), "hasNext twice does not skip an item");
            List<Long> got = new ArrayList<>();
            while (it.hasNext()) {
                got.add(it.next().toJava(long.class));
            }
            assertEquals(List.of(0L, 1L, 4L, 9L), got);
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);

            py.run("def _th_bad():\n    yield 1\n    raise ValueError('in generator')\n");
            PyIterator bad = py.eval("_th_bad()").as(PyIterator.class);
            assertEquals(1L, bad.next().toJava(long.class));
            assertThrows(PyValueError.class, bad::hasNext);

            assertThrows(ClassCastException.class, () -> py.list().as(PyIterator.class), "a list is iterable, not an iterator");
            PyIterator listIt = py.builtins().getAttr("iter").call(py.list("a")).as(PyIterator.class);
            assertEquals("a", listIt.next().toJava(String.class));
        }
    }

    @Test
    void callableFromAs() {
        try (Python py = Python.attach()) {
            PyCallable f = py.eval("lambda a, b=2: a * b").as(PyCallable.class);
            assertPy(py, "6", f.call(3L));
            assertPy(py, "'xxx'", f.call("x", 3L));
            assertPy(py, "3", py.builtins().getAttr("len").as(PyCallable.class).call("abc"));
            PyCallable cls = py.eval("dict").as(PyCallable.class);
            assertPy(py, "{}", cls.call());
            assertThrows(ClassCastException.class, () -> py.integer(1).as(PyCallable.class));
            assertTrue(f.isCallable());
            assertFalse(py.integer(1).isCallable());
        }
    }

    @Test
    void moduleTypeNoneBuiltinsIntern() {
        try (Python py = Python.attach()) {
            PyModule math = py.importModule("math");
            assertEquals("math", math.name());
            assertTrue(math.dict().contains("pi"));
            assertEquals(math, py.eval("__import__('math')"), "importModule gives the module object itself");

            PyType intType = py.eval("int").as(PyType.class);
            assertEquals("int", intType.name());
            assertEquals("int", intType.qualifiedName());
            assertEquals("collections.OrderedDict",
                    py.importModule("collections").getAttr("OrderedDict").as(PyType.class).qualifiedName());
            assertTrue(py.eval("bool").as(PyType.class).isSubclass(intType));
            assertFalse(intType.isSubclass(py.eval("bool")));
            assertEquals(py.eval("list"), py.list().type());
            assertPy(py, "5", intType.call("5"));

            PyObject none = py.none();
            assertTrue(none.isNone());
            assertEquals(py.eval("None"), none);
            assertFalse(py.integer(0).isNone());

            PyModule b = py.builtins();
            assertEquals("builtins", b.name());
            assertPy(py, "2", b.getAttr("len").call(py.list(1L, 2L)));

            PyObject i1 = py.intern("some_interned_name");
            PyObject i2 = py.intern("some_interned_name");
            assertEquals(i1, i2, "intern gives the same str object");
            assertPy(py, "'some_interned_name'", i1);
            assertInstanceOf(PyStr.class, i1.as(PyStr.class));
        }
    }
}
