package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyValueError;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Conversions never size a Java allocation from {@code __len__}: objects whose {@code __len__} (and
 * {@code __length_hint__}) claim 2**40 items convert to what they really hold, through every target
 * that allocates (lists, sets, arrays, maps, strings, bytes, the natural conversion). Before, the
 * Java collection was pre-sized from the claim and the conversion ended in {@link OutOfMemoryError}.
 */
class LyingLengthConversionTest {

    static final String CLASSES = """
            HUGE = 2 ** 40
            class LyingList(list):
                def __len__(self): return HUGE
            class LyingTuple(tuple):
                def __len__(self): return HUGE
            class LyingDict(dict):
                def __len__(self): return HUGE
            class LyingStr(str):
                def __len__(self): return HUGE
            class LyingBytes(bytes):
                def __len__(self): return HUGE
            class LyingIterable:
                def __init__(self, items): self.items = items
                def __len__(self): return HUGE
                def __length_hint__(self): return HUGE
                def __iter__(self): return iter(self.items)
            class LyingMapping:
                def __init__(self, d): self.d = d
                def __len__(self): return HUGE
                def keys(self): return self.d.keys()
                def items(self): return LyingList(self.d.items())
                def __getitem__(self, k): return self.d[k]
            class NegativeList(list):
                def __len__(self): return -1
            class Doubling(list):
                def __iter__(self):
                    for x in list.__iter__(self):
                        yield x
                        yield x
            """;

    private static PyObject eval(Python py, String expression) {
        py.run(CLASSES);
        return py.eval(expression);
    }

    @Test
    void listAndTupleSubclassesConvertWhatTheyHold() {
        Python.attach(py -> {
            for (String e : List.of("LyingList([1, 2, 3])", "LyingTuple((1, 2, 3))")) {
                PyObject o = eval(py, e);
                assertEquals(1L << 40, o.len(), "Python's own answer is left alone");
                assertEquals(List.of(1L, 2L, 3L), o.toJava(List.class), e);
                assertEquals(List.of(1L, 2L, 3L), o.toJava(new TypeRef<List<Long>>() {}), e);
                assertEquals(List.of(1L, 2L, 3L), o.toJava(Object.class), e + " (natural)");
                assertEquals(Set.of(1L, 2L, 3L), o.toJava(Set.class), e);
                assertArrayEquals(new long[] {1, 2, 3}, o.toJava(long[].class), e);
                assertArrayEquals(new int[] {1, 2, 3}, o.toJava(int[].class), e);
                assertArrayEquals(new double[] {1, 2, 3}, o.toJava(double[].class), e);
                assertArrayEquals(new Object[] {1L, 2L, 3L}, o.toJava(Object[].class), e);
                assertArrayEquals(new Long[] {1L, 2L, 3L}, o.toJava(Long[].class), e);
            }
            assertEquals(List.of(1L, 2L), eval(py, "LyingList([1, 2])").as(PyList.class).toList(Long.class));
            assertEquals(Map.of("k", List.of(1L)), eval(py, "{'k': LyingList([1])}").toJava(Object.class));
            return null;
        });
    }

    @Test
    void iterablesAndMappingsAreNotPresized() {
        Python.attach(py -> {
            assertEquals(List.of(1L, 2L), eval(py, "LyingIterable([1, 2])").toJava(List.class));
            assertArrayEquals(new long[] {1, 2}, eval(py, "LyingIterable([1, 2])").toJava(long[].class));
            assertEquals(Map.of("a", 1L), eval(py, "LyingDict(a=1)").toJava(Map.class));
            assertEquals(Map.of("a", 1L), eval(py, "LyingDict(a=1)").toJava(new TypeRef<Map<String, Long>>() {}));
            assertEquals(Map.of("a", 1L), eval(py, "LyingDict(a=1)").toJava(Object.class));
            assertEquals(Map.of("a", 1L, "b", 2L), eval(py, "LyingMapping({'a': 1, 'b': 2})").toJava(Map.class));
            return null;
        });
    }

    @Test
    void stringsAndBytesAreReadFromTheirStorage() {
        Python.attach(py -> {
            assertEquals("héllo", eval(py, "LyingStr('héllo')").toJava(String.class));
            assertEquals("héllo", eval(py, "LyingStr('héllo')").toJava(Object.class));
            assertArrayEquals(new char[] {'o', 'k'}, eval(py, "LyingStr('ok')").toJava(char[].class));
            assertArrayEquals(new byte[] {1, 2}, eval(py, "LyingBytes(b'\\x01\\x02')").toJava(byte[].class));
            assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), eval(py, "LyingBytes(b'\\x01\\x02')").toJava(ByteBuffer.class));
            try (var b = eval(py, "LyingBytes(b'\\x01\\x02')").buffer()) {
                assertArrayEquals(new byte[] {1, 2}, b.toByteArray());
            }
            return null;
        });
    }

    @Test
    void overridesOtherThanLenAreHonouredAsListDoes() {
        Python.attach(py -> {
            // Subclasses are iterated, as list(o) does: an overridden __iter__ is what Python itself sees.
            assertEquals(List.of(1L, 1L, 2L, 2L), eval(py, "Doubling([1, 2])").toJava(List.class));
            assertEquals(List.of(1L, 1L, 2L, 2L), eval(py, "list(Doubling([1, 2]))").toJava(List.class));
            // A __len__ Python itself refuses does not matter either: it is never asked.
            assertThrows(PyValueError.class, () -> eval(py, "NegativeList([1])").len());
            assertEquals(List.of(1L), eval(py, "NegativeList([1])").toJava(List.class));
            return null;
        });
    }
}
