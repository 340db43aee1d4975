package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyRecursionError;
import dev.pyjama.exceptions.PyTypeError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Lists, arrays, sets, maps, Optional and nesting, both ways. */
class CollectionConversionTest {

    private static boolean py(Python py, String lambda, Object... args) {
        return py.eval(lambda).call(args).isTruthy();
    }

    @Property(tries = 200)
    void listsOfLongsRoundTrip(@ForAll List<Long> list) {
        Python.attach(py -> {
            PyObject o = py.toPython(list);
            assertEquals(list, o.toJava(new TypeRef<List<Long>>() {}));
            assertEquals(list, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, s: type(v) is list and v == [int(x) for x in s.split()]", o,
                    String.join(" ", list.stream().map(String::valueOf).toList())));
            return null;
        });
    }

    @Property(tries = 200)
    void mapsOfStringsRoundTripInOrder(@ForAll Map<String, Integer> generated) {
        LinkedHashMap<String, Integer> map = new LinkedHashMap<>(generated);
        Python.attach(py -> {
            PyObject o = py.toPython(map);
            Map<String, Integer> back = o.toJava(new TypeRef<Map<String, Integer>>() {});
            assertEquals(List.copyOf(map.keySet()), List.copyOf(back.keySet()));
            assertEquals(map, back);
            assertTrue(py(py, "lambda v, ks: type(v) is dict and list(v) == ks", o, List.copyOf(map.keySet())));
            return null;
        });
    }

    @Property(tries = 200)
    void setsRoundTrip(@ForAll Set<Integer> set) {
        Python.attach(py -> {
            PyObject o = py.toPython(set);
            assertEquals(set, o.toJava(new TypeRef<Set<Integer>>() {}));
            assertEquals(set, o.toJava(Object.class).equals(set) ? set : toIntSet(o.toJava(Object.class)));
            assertTrue(py(py, "lambda v, l: type(v) is set and v == set(l)", o, List.copyOf(set)));
            return null;
        });
    }

    private static Set<Integer> toIntSet(Object natural) {
        Set<Integer> out = new LinkedHashSet<>();
        for (Object x : (Set<?>) natural) {
            out.add(((Long) x).intValue());
        }
        return out;
    }

    @Property(tries = 100)
    void primitiveArraysRoundTrip(@ForAll int[] ints, @ForAll long[] longs, @ForAll double[] doubles,
            @ForAll float[] floats, @ForAll short[] shorts, @ForAll char[] chars, @ForAll boolean[] booleans) {
        Python.attach(py -> {
            assertArrayEquals(ints, py.toPython(ints).toJava(int[].class));
            assertArrayEquals(longs, py.toPython(longs).toJava(long[].class));
            assertArrayEquals(doubles, py.toPython(doubles).toJava(double[].class));
            assertArrayEquals(floats, py.toPython(floats).toJava(float[].class));
            assertArrayEquals(shorts, py.toPython(shorts).toJava(short[].class));
            assertArrayEquals(chars, py.toPython(chars).toJava(char[].class));
            assertArrayEquals(booleans, py.toPython(booleans).toJava(boolean[].class));
            assertTrue(py(py, "lambda v, n: type(v) is list and len(v) == n and all(type(x) is int for x in v)",
                    ints, ints.length));
            assertTrue(py(py, "lambda v: all(type(x) is str and len(x) == 1 for x in v)", chars));
            assertTrue(py(py, "lambda v: all(type(x) is bool for x in v)", booleans));
            return null;
        });
    }

    @Test
    void objectArraysAndGenericArrays() {
        Python.attach(py -> {
            String[] strings = {"a", null, "\uD83D\uDE00"};
            PyObject o = py.toPython(strings);
            assertTrue(py(py, "lambda v: v == ['a', None, '\\U0001F600']", o));
            assertEquals("[1]: expected str, got NoneType (a Java String target refuses None: convert to Optional or"
                    + " Object to accept it)", assertThrows(PyTypeError.class, () -> o.toJava(String[].class))
                    .pythonMessage());
            assertArrayEquals(strings, o.toJava(Object[].class));
            String[] present = {"a", "", "\uD83D\uDE00"};
            assertArrayEquals(present, py.toPython(present).toJava(String[].class));
            List<Long>[] lists = py.eval("[[1], [2, 3]]").toJava(new TypeRef<List<Long>[]>() {});
            assertEquals(List.of(List.of(1L), List.of(2L, 3L)), Arrays.asList(lists));
            long[][] grid = py.eval("((1, 2), (3,))").toJava(long[][].class);
            assertArrayEquals(new long[] {3}, grid[1]);
            assertArrayEquals(new Byte[] {1, 2, -3}, py.eval("[1, 2, -3]").toJava(Byte[].class));
            assertThrows(PyTypeError.class, () -> py.eval("[1, 2]").toJava(byte[].class));
            assertArrayEquals("héllo".toCharArray(), py.eval("'héllo'").toJava(char[].class));
            return null;
        });
    }

    @Test
    void mapKeysOfAnyConvertibleTypeAndTupleKeys() {
        Python.attach(py -> {
            Map<Object, String> m = new LinkedHashMap<>();
            m.put(1L, "int");
            m.put(List.of(1L, 2L), "tuple");
            m.put(Set.of(3L), "frozenset");
            m.put(null, "none");
            m.put(2.5, "float");
            PyObject o = py.toPython(m);
            assertTrue(py(py, "lambda d: d == {1: 'int', (1, 2): 'tuple', frozenset({3}): 'frozenset', None: 'none',"
                    + " 2.5: 'float'} and list(d)[1] == (1, 2)", o));
            @SuppressWarnings("unchecked")
            Map<Object, Object> natural = (Map<Object, Object>) o.toJava(Object.class);
            assertEquals("tuple", natural.get(List.of(1L, 2L)));
            assertEquals("frozenset", natural.get(Set.of(3L)));
            assertEquals(m.keySet().size(), natural.size());
            Map<List<Long>, String> typed = py.eval("{(1, 2): 'a', (3,): 'b'}")
                    .toJava(new TypeRef<Map<List<Long>, String>>() {});
            assertEquals(Map.of(List.of(1L, 2L), "a", List.of(3L), "b"), typed);
            Set<List<Long>> setOfLists = new LinkedHashSet<>(List.of(List.of(1L), List.of(2L, 3L)));
            assertTrue(py(py, "lambda s: s == {(1,), (2, 3)}", setOfLists));
            return null;
        });
    }

    @Test
    void concreteCollectionTargets() {
        Python.attach(py -> {
            PyObject o = py.eval("{'b': 1, 'a': 2}");
            assertInstanceOf(TreeMap.class, o.toJava(new TypeRef<SortedMap<String, Long>>() {}));
            assertInstanceOf(HashMap.class, o.toJava(new TypeRef<HashMap<String, Long>>() {}));
            assertInstanceOf(LinkedList.class, py.eval("[1]").toJava(new TypeRef<LinkedList<Long>>() {}));
            assertEquals(List.of(0L, 1L, 2L), py.eval("range(3)").toJava(new TypeRef<List<Long>>() {}));
            assertEquals(List.of(0L, 1L), py.eval("(i for i in range(2))").toJava(new TypeRef<List<Long>>() {}));
            assertEquals(Set.of(1L, 2L), py.eval("[1, 2, 2]").toJava(new TypeRef<Set<Long>>() {}));
            assertEquals(new ArrayList<>(List.of(1L)), py.eval("[1]").toJava(List.class));
            assertEquals(List.of(1L, "x"), py.eval("[1, 'x']").toJava(new TypeRef<List<?>>() {}));
            assertEquals(List.of(1L), py.eval("[1]").toJava(new TypeRef<List<? extends Number>>() {}));
            return null;
        });
    }

    @Test
    void optionals() {
        Python.attach(py -> {
            assertTrue(py.toPython(Optional.empty()).isNone());
            assertTrue(py(py, "lambda v: v == [1, None]", List.of(Optional.of(1), Optional.empty())));
            assertEquals(Optional.empty(), py.none().toJava(Optional.class));
            assertEquals(Optional.of(5L), py.eval("5").toJava(new TypeRef<Optional<Long>>() {}));
            assertEquals(List.of(Optional.of("a"), Optional.empty()),
                    py.eval("['a', None]").toJava(new TypeRef<List<Optional<String>>>() {}));
            return null;
        });
    }

    @Test
    void emptyAndNestedContainers() {
        Python.attach(py -> {
            assertTrue(py(py, "lambda a, b, c, d: a == [] and b == {} and c == set() and d == []", List.of(), Map.of(),
                    Set.of(), new int[0]));
            assertEquals(List.of(), py.eval("[]").toJava(Object.class));
            assertEquals(Map.of(), py.eval("{}").toJava(Object.class));
            List<Object> nested = List.of(List.of(List.of(), Map.of("k", List.of(1L))), Set.of());
            PyObject o = py.toPython(nested);
            assertTrue(py(py, "lambda v: v == [[[], {'k': [1]}], set()]", o));
            assertEquals(nested, o.toJava(Object.class));
            return null;
        });
    }

    @Test
    void deepNestingIsAClearErrorNotAStackOverflow() {
        Python.attach(py -> {
            List<Object> deep = new ArrayList<>();
            List<Object> cur = deep;
            for (int i = 0; i < 900; i++) {
                List<Object> next = new ArrayList<>();
                cur.add(next);
                cur = next;
            }
            PyObject ok = py.toPython(deep);
            assertInstanceOf(List.class, ok.toJava(Object.class));
            for (int i = 0; i < 200; i++) {
                List<Object> next = new ArrayList<>();
                cur.add(next);
                cur = next;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> py.toPython(deep));
            assertTrue(e.getMessage().contains("nesting deeper than 1000"), e.getMessage());
            List<Object> self = new ArrayList<>();
            self.add(self);
            assertThrows(IllegalArgumentException.class, () -> py.toPython(self));

            PyObject pyDeep = py.eval("(lambda: [l := [], [(l.append([]), l := l[0]) for _ in range(5000)], l][0])()");
            PyRecursionError r = assertThrows(PyRecursionError.class, () -> pyDeep.toJava(Object.class));
            assertTrue(r.getMessage().contains("nesting deeper than 1000"), r.getMessage());
            PyObject pySelf = py.eval("(lambda l: (l.append(l), l)[1])([])");
            assertThrows(PyRecursionError.class, () -> pySelf.toJava(Object.class));
            assertThrows(PyRecursionError.class, () -> pySelf.toJava(new TypeRef<List<Object>>() {}));
            return null;
        });
    }
}
