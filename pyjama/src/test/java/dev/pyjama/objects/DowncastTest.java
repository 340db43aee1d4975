package dev.pyjama.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code as}, {@code tryAs}, {@code is} and {@code isExactly}, checked against Python's isinstance and type(). */
class DowncastTest {

    private static final String SUBCLASSES = """
            import types
            class _DcL(list): pass
            class _DcS(str): pass
            class _DcI(int): pass
            class _DcF(float): pass
            class _DcB(bytes): pass
            class _DcBA(bytearray): pass
            class _DcT(tuple): pass
            class _DcD(dict): pass
            class _DcSet(set): pass
            class _DcFS(frozenset): pass
            class _DcM(types.ModuleType): pass
            class _DcMeta(type): pass
            class _DcWithMeta(metaclass=_DcMeta): pass
            """;

    /** One row: a Python expression, a handle class, and the Python type the class stands for. */
    private record Row(String expr, Class<? extends PyObject> handle, String pythonType) {}

    private static final List<Row> ROWS = List.of(
            new Row("[1]", PyList.class, "list"), new Row("_DcL([1])", PyList.class, "list"),
            new Row("'s'", PyStr.class, "str"), new Row("_DcS('s')", PyStr.class, "str"),
            new Row("7", PyInt.class, "int"), new Row("_DcI(7)", PyInt.class, "int"),
            new Row("True", PyInt.class, "int"), new Row("True", PyBool.class, "bool"),
            new Row("1.5", PyFloat.class, "float"), new Row("_DcF(1.5)", PyFloat.class, "float"),
            new Row("b'x'", PyBytes.class, "bytes"), new Row("_DcB(b'x')", PyBytes.class, "bytes"),
            new Row("bytearray(b'x')", PyByteArray.class, "bytearray"),
            new Row("_DcBA(b'x')", PyByteArray.class, "bytearray"),
            new Row("(1,)", PyTuple.class, "tuple"), new Row("_DcT((1,))", PyTuple.class, "tuple"),
            new Row("{1: 2}", PyDict.class, "dict"), new Row("_DcD({1: 2})", PyDict.class, "dict"),
            new Row("{1}", PySet.class, "set"), new Row("_DcSet({1})", PySet.class, "set"),
            new Row("frozenset({1})", PyFrozenSet.class, "frozenset"),
            new Row("_DcFS({1})", PyFrozenSet.class, "frozenset"),
            new Row("types", PyModule.class, "types.ModuleType"), new Row("_DcM('m')", PyModule.class, "types.ModuleType"),
            new Row("int", PyType.class, "type"), new Row("_DcWithMeta", PyType.class, "type"),
            new Row("slice(1)", PySlice.class, "slice"));

    private static final List<Class<? extends PyObject>> ALL = List.of(PyList.class, PyStr.class, PyInt.class,
            PyBool.class, PyFloat.class, PyBytes.class, PyByteArray.class, PyTuple.class, PyDict.class, PySet.class,
            PyFrozenSet.class, PyModule.class, PyType.class, PySlice.class);

    @Test
    void isAndIsExactlyAgreeWithIsinstanceAndTypeForEveryHandleClass() {
        try (Python py = Python.attach()) {
            py.run(SUBCLASSES);
            PyObject isinstance = py.builtins().getAttr("isinstance");
            PyObject typeIs = py.eval("lambda o, t: type(o) is t");
            for (Row row : ROWS) {
                PyObject o = py.eval(row.expr());
                for (Class<? extends PyObject> c : ALL) {
                    String pyType = ROWS.stream().filter(r -> r.handle() == c).findFirst().orElseThrow().pythonType();
                    PyObject t = py.eval(pyType);
                    boolean expectedIs = isinstance.call(o, t).isTruthy();
                    boolean expectedExact = typeIs.call(o, t).isTruthy();
                    String where = row.expr() + " vs " + c.getSimpleName();
                    assertEquals(expectedIs, o.is(c), "is(): " + where);
                    assertEquals(expectedExact, o.isExactly(c), "isExactly(): " + where);
                    assertEquals(expectedIs, o.tryAs(c).isPresent(), "tryAs(): " + where);
                    if (expectedIs) {
                        PyObject typed = o.as(c);
                        assertInstanceOf(c, typed);
                        assertEquals(o, typed, "as() gives a handle to the same object: " + where);
                    } else {
                        assertThrows(ClassCastException.class, () -> o.as(c), "as(): " + where);
                    }
                }
            }
        }
    }

    @Test
    void listSubclassIsAListButNotExactly() {
        try (Python py = Python.attach()) {
            py.run("class L(list):\n    pass\n");
            PyObject l = py.eval("L([1, 2])");
            assertTrue(l.is(PyList.class));
            assertFalse(l.isExactly(PyList.class));
            PyList typed = l.as(PyList.class);
            assertEquals(2, typed.size());
            typed.append(3L);
            assertEquals("L", typed.type().name(), "the subclass instance keeps its type");
            assertEquals("[1, 2, 3]", typed.repr());
            assertTrue(py.eval("[]").isExactly(PyList.class));
        }
    }

    @Test
    void boolIsAnIntButNotExactly() {
        try (Python py = Python.attach()) {
            PyObject t = py.eval("True");
            assertTrue(t.is(PyInt.class));
            assertFalse(t.isExactly(PyInt.class));
            assertTrue(t.isExactly(PyBool.class));
            assertEquals(1L, t.as(PyInt.class).toLong());
            assertFalse(py.eval("1").is(PyBool.class), "an int is not a bool");
            assertTrue(py.bool(false).is(PyInt.class));
        }
    }

    @Test
    void asFailsWithAClassCastExceptionNamingBothTypes() {
        try (Python py = Python.attach()) {
            py.run("class _DcNamed:\n    pass\n");
            ClassCastException e = assertThrows(ClassCastException.class, () -> py.eval("1").as(PyList.class));
            assertTrue(e.getMessage().contains("'int'"), e.getMessage());
            assertTrue(e.getMessage().contains("PyList"), e.getMessage());
            assertTrue(e.getMessage().contains("'list'"), e.getMessage());
            ClassCastException e2 = assertThrows(ClassCastException.class,
                    () -> py.eval("_DcNamed()").as(PyDict.class));
            assertTrue(e2.getMessage().contains("_DcNamed"), e2.getMessage());
            assertTrue(e2.getMessage().contains("PyDict"), e2.getMessage());
            // a typed handle of the wrong kind also fails rather than reinterpreting
            PyStr s = py.str("x");
            assertThrows(ClassCastException.class, () -> s.as(PyInt.class));
        }
    }

    @Test
    void tryAsReturnsEmptyOrTheHandle() {
        try (Python py = Python.attach()) {
            assertEquals(Optional.empty(), py.eval("1.5").tryAs(PyInt.class));
            assertEquals(Optional.empty(), py.eval("None").tryAs(PyList.class));
            Optional<PyDict> d = py.eval("{'a': 1}").tryAs(PyDict.class);
            assertTrue(d.isPresent());
            assertEquals(1, d.get().size());
        }
    }

    @Test
    void asOnAHandleOfThatClassReturnsItselfAndToObjectIsFree() {
        try (Python py = Python.attach()) {
            PyList l = py.list();
            assertSame(l, l.as(PyList.class));
            assertSame(l, l.as(PyObject.class));
            assertSame(l, l.tryAs(PyList.class).orElseThrow());
            assertTrue(l.is(PyObject.class));
            assertTrue(py.none().is(PyObject.class));
        }
    }

    @Test
    void iteratorAndCallableKinds() {
        try (Python py = Python.attach()) {
            PyObject gen = py.eval("(x for x in [])");
            assertTrue(gen.is(PyIterator.class));
            assertTrue(gen.isExactly(PyIterator.class), "no exact Python type: same as is()");
            assertFalse(py.eval("[]").is(PyIterator.class));
            assertTrue(py.eval("len").is(PyCallable.class));
            assertTrue(py.eval("int").is(PyCallable.class));
            assertFalse(py.eval("3").is(PyCallable.class));
            py.run("class _DcCallMe:\n    def __call__(self):\n        return 42\n");
            assertEquals(42L, py.eval("_DcCallMe()").as(PyCallable.class).call().toJava(long.class));
        }
    }
}
