package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** BigDecimal, UUID, Path, enums, records and handles. */
class OtherTypesConversionTest {

    enum Color { RED, GREEN, BLUE }

    record Point(int x, int y) {}

    record Person(String name, Optional<String> nickname, List<Point> path, Map<String, Color> favourites) {}

    record Edge(long from, long to) {}

    private static boolean py(Python py, String lambda, Object... args) {
        return py.eval(lambda).call(args).isTruthy();
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(),
                BigInteger.TEN.pow(40));
        Arbitrary<Integer> scale = Arbitraries.integers().between(-50, 50);
        return Combinators.combine(unscaled, scale).as(BigDecimal::new);
    }

    @Property(tries = 300)
    void bigDecimalsRoundTripWithTheirScale(@ForAll("decimals") BigDecimal d) {
        Python.attach(py -> {
            PyObject o = py.toPython(d);
            BigDecimal back = o.toJava(BigDecimal.class);
            assertEquals(d, back); // equals compares the scale too
            assertEquals(d, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, u, s: v.as_tuple().exponent == -s and "
                    + "v == __import__('decimal').Decimal(u).scaleb(-s, __import__('decimal').Context(prec=100))",
                    o, d.unscaledValue().toString(), d.scale()));
            return null;
        });
    }

    @Test
    void decimalEdges() {
        Python.attach(py -> {
            assertThrows(PyValueError.class, () -> py.eval("__import__('decimal').Decimal('NaN')").toJava(BigDecimal.class));
            assertTrue(Double.isNaN((Double) py.eval("__import__('decimal').Decimal('NaN')").toJava(Object.class)));
            assertEquals(new BigDecimal("0.1000000000000000055511151231257827021181583404541015625"),
                    py.eval("0.1").toJava(BigDecimal.class));
            assertEquals(new BigDecimal(BigInteger.TWO.pow(100)), py.eval("2**100").toJava(BigDecimal.class));
            return null;
        });
    }

    @Property(tries = 100)
    void uuidsRoundTrip(@ForAll long msb, @ForAll long lsb) {
        UUID u = new UUID(msb, lsb);
        Python.attach(py -> {
            PyObject o = py.toPython(u);
            assertEquals(u, o.toJava(UUID.class));
            assertEquals(u, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, s: type(v).__name__ == 'UUID' and str(v) == s", o, u.toString()));
            return null;
        });
    }

    @Test
    void pathsRoundTrip() {
        Python.attach(py -> {
            Path p = Path.of("/tmp", "a b", "ü.txt");
            PyObject o = py.toPython(p);
            assertTrue(py(py, "lambda v: isinstance(v, __import__('pathlib').Path) and str(v) == '/tmp/a b/ü.txt'", o));
            assertEquals(p, o.toJava(Path.class));
            assertEquals(p, o.toJava(Object.class));
            assertEquals(Path.of("rel/x"), py.eval("'rel/x'").toJava(Path.class));
            assertThrows(PyTypeError.class, () -> py.eval("3").toJava(Path.class));
            return null;
        });
    }

    @Test
    void enumsGoByName() {
        Python.attach(py -> {
            PyObject o = py.toPython(Color.GREEN);
            assertEquals("GREEN", o.toJava(String.class));
            assertEquals(Color.GREEN, o.toJava(Color.class));
            py.run("import enum\nclass PyColor(enum.Enum):\n    BLUE = 3\n");
            assertEquals(Color.BLUE, py.eval("PyColor.BLUE").toJava(Color.class));
            PyValueError e = assertThrows(PyValueError.class, () -> py.eval("'PINK'").toJava(Color.class));
            assertTrue(e.getMessage().contains("[RED, GREEN, BLUE]"), e.getMessage());
            assertEquals(List.of(Color.RED, Color.BLUE),
                    py.toPython(List.of(Color.RED, Color.BLUE)).toJava(new TypeRef<List<Color>>() {}));
            return null;
        });
    }

    @Test
    void recordsBecomeNamedTuplesAndComeBackFromDictsOrObjects() {
        Python.attach(py -> {
            Person p = new Person("Ada", Optional.empty(), List.of(new Point(1, 2), new Point(3, 4)),
                    Map.of("ink", Color.BLUE));
            PyObject o = py.toPython(p);
            assertTrue(py(py, "lambda v: type(v).__name__ == 'Person' and v.name == 'Ada' and v.nickname is None"
                    + " and v.path[1].y == 4 and v.path[0] == (1, 2) and v.favourites == {'ink': 'BLUE'}"
                    + " and type(v).__module__ == 'dev.pyjama.conversions'", o));
            assertEquals(p, o.toJava(Person.class));
            assertTrue(py(py, "lambda a, b: type(a) is type(b)", new Point(0, 0), new Point(5, 6)));
            Person fromDict = py.eval("{'name': 'Bob', 'path': [{'x': 1, 'y': 2}], 'favourites': {}, 'extra': 1}")
                    .toJava(Person.class);
            assertEquals(new Person("Bob", Optional.empty(), List.of(new Point(1, 2)), Map.of()), fromDict);
            py.run("from dataclasses import dataclass\n@dataclass\nclass P:\n    x: int\n    y: int\n");
            assertEquals(new Point(7, 8), py.eval("P(7, 8)").toJava(Point.class));
            PyTypeError missing = assertThrows(PyTypeError.class, () -> py.eval("{'x': 1}").toJava(Point.class));
            assertTrue(missing.getMessage().contains("\"y\""), missing.getMessage());
            // 'from' is a Python keyword: namedtuple refuses it, so a SimpleNamespace stands in.
            PyObject edge = py.toPython(new Edge(1, 2));
            assertTrue(py(py, "lambda v: type(v).__name__ == 'SimpleNamespace' and getattr(v, 'from') == 1", edge));
            assertEquals(new Edge(1, 2), edge.toJava(Edge.class));
            assertEquals(Map.of(new PointKey(1, 2), "a"),
                    py.toPython(Map.of(new PointKey(1, 2), "a")).toJava(new TypeRef<Map<PointKey, String>>() {}));
            return null;
        });
    }

    record PointKey(int x, int y) {}

    @Test
    void handlesConvertToThemselves() {
        Python.attach(py -> {
            PyObject list = py.eval("[1, 2]");
            assertTrue(py.toPython(list).equals(list));
            try (Py<PyObject> ref = list.unbind()) {
                assertTrue(py.toPython(ref).equals(list));
                assertTrue(py(py, "lambda v: v == [[1, 2]]", List.of(ref)));
            }
            List<PyObject> items = py.eval("[object(), 'x']").toJava(new TypeRef<List<PyObject>>() {});
            assertEquals("x", items.get(1).toJava(String.class));
            List<PyList> lists = py.eval("[[1], []]").toJava(new TypeRef<List<PyList>>() {});
            assertEquals(1, lists.get(0).len());
            assertThrows(PyTypeError.class, () -> py.eval("[1]").toJava(new TypeRef<List<PyList>>() {}));
            Py<PyObject> unbound = py.eval("object()").toJava(new TypeRef<Py<PyObject>>() {});
            unbound.close();
            Object other = py.eval("object()").toJava(Object.class);
            assertInstanceOf(PyObject.class, other);
            return null;
        });
    }
}
