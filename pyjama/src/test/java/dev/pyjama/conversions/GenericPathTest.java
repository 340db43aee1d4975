package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyTypeError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Deep generic targets, and errors that name the path to the bad element. */
class GenericPathTest {

    record Point(long x, long y) {}

    record Box<T>(String label, List<T> items) {}

    @Test
    void deepGenericStructuresConvert() {
        Python.attach(py -> {
            PyObject o = py.eval("[{'a': 1, 'b': 2}, {}, {'c': 3}]");
            List<Map<String, Long>> v = o.toJava(new TypeRef<List<Map<String, Long>>>() {});
            assertEquals(List.of(Map.of("a", 1L, "b", 2L), Map.of(), Map.of("c", 3L)), v);
            Map<String, List<Set<Integer>>> m = py.eval("{'k': [{1, 2}, set()]}")
                    .toJava(new TypeRef<Map<String, List<Set<Integer>>>>() {});
            assertEquals(Map.of("k", List.of(Set.of(1, 2), Set.of())), m);
            return null;
        });
    }

    @Test
    void theIssueExamplePath() {
        Python.attach(py -> {
            PyObject o = py.eval("[{'x': 1}, {'x': 2}, {'x': 3}, {'x': 'four'}]");
            PyTypeError e = assertThrows(PyTypeError.class,
                    () -> o.toJava(new TypeRef<List<Map<String, Long>>>() {}));
            assertEquals("[3][\"x\"]: expected int, got str", e.pythonMessage());
            return null;
        });
    }

    @Test
    void pathsThroughKeysSetsTuplesArraysRecordsAndAttributes() {
        Python.attach(py -> {
            assertEquals("{\"k\"}: expected int, got str", assertThrows(PyTypeError.class,
                    () -> py.eval("{'k': 1}").toJava(new TypeRef<Map<Long, Long>>() {})).pythonMessage());
            assertEquals("[(1, 2)][0]: expected str, got int", assertThrows(PyTypeError.class,
                    () -> py.eval("{(1, 2): (3, 4)}").toJava(new TypeRef<Map<List<Long>, List<String>>>() {}))
                    .pythonMessage());
            assertEquals("{\"s\"}: expected int, got str", assertThrows(PyTypeError.class,
                    () -> py.eval("{'s'}").toJava(new TypeRef<Set<Long>>() {})).pythonMessage());
            assertEquals("[0][1]: expected float, got str", assertThrows(PyTypeError.class,
                    () -> py.eval("[[1.0, 'x']]").toJava(double[][].class)).pythonMessage());
            assertEquals("[1][\"y\"]: expected int, got float", assertThrows(PyTypeError.class,
                    () -> py.eval("[{'x': 1, 'y': 2}, {'x': 1, 'y': 2.5}]").toJava(new TypeRef<List<Point>>() {}))
                    .pythonMessage());
            py.run("import types\nns = types.SimpleNamespace(x=1, y=None)");
            assertEquals(".y: expected int, got NoneType (a Java long cannot be null)", assertThrows(PyTypeError.class,
                    () -> py.eval("ns").toJava(Point.class)).pythonMessage());
            assertEquals("[\"items\"][2]: expected int, got str", assertThrows(PyTypeError.class,
                    () -> py.eval("{'label': 'b', 'items': [1, 2, 'x']}").toJava(new TypeRef<Box<Long>>() {}))
                    .pythonMessage());
            PyOverflowError overflow = assertThrows(PyOverflowError.class,
                    () -> py.eval("[1, 2**40]").toJava(new TypeRef<List<Integer>>() {}));
            assertEquals("[1]: Python int 1099511627776 does not fit in a Java int", overflow.pythonMessage());
            return null;
        });
    }

    @Test
    void wrongContainerKindsAreTypeErrors() {
        Python.attach(py -> {
            assertEquals("expected list, tuple, set or another iterable, got str", assertThrows(PyTypeError.class,
                    () -> py.eval("'abc'").toJava(new TypeRef<List<String>>() {})).pythonMessage());
            assertEquals("expected dict or another mapping, got list", assertThrows(PyTypeError.class,
                    () -> py.eval("[1]").toJava(new TypeRef<Map<String, Long>>() {})).pythonMessage());
            return null;
        });
    }

    @Test
    void genericRecordsApplyTheirTypeArguments() {
        Python.attach(py -> {
            Box<Box<Long>> nested = py.eval("{'label': 'outer', 'items': [{'label': 'inner', 'items': [1, 2]}]}")
                    .toJava(new TypeRef<Box<Box<Long>>>() {});
            assertEquals(new Box<>("outer", List.of(new Box<>("inner", List.of(1L, 2L)))), nested);
            Box<Box<Long>> back = py.toPython(nested).toJava(new TypeRef<Box<Box<Long>>>() {});
            assertEquals(nested, back);
            return null;
        });
    }
}
