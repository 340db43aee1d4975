package dev.pyjama.calls;

import static dev.pyjama.calls.CallPythonTest.ns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyDict;
import dev.pyjama.PyIterator;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyStopIteration;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Python iterators and generators seen from Java, and Java iterators and iterables seen from Python. */
class IteratorTest {

    private static final String GENERATORS = String.join("\n",
            "produced = []",
            "def squares(n):",
            "    for i in range(n):",
            "        produced.append(i)",
            "        yield i * i",
            "def naturals():",
            "    i = 0",
            "    while True:",
            "        produced.append(i)",
            "        yield i",
            "        i += 1",
            "def fails_midway():",
            "    yield 1",
            "    yield 2",
            "    raise ValueError('midway')",
            "def returns_value():",
            "    yield 'only'",
            "    return 'ignored'",
            "class Countdown:",
            "    def __init__(self, n):",
            "        self.n = n",
            "    def __iter__(self):",
            "        return self",
            "    def __next__(self):",
            "        if self.n == 0:",
            "            raise StopIteration",
            "        self.n -= 1",
            "        return self.n",
            "");

    private static List<Long> longs(Iterator<PyObject> it) {
        List<Long> out = new ArrayList<>();
        it.forEachRemaining(o -> out.add(o.toJava(long.class)));
        return out;
    }

    @Test
    void generatorAsPyIteratorIsLazy() {
        Python.attach(py -> {
            PyDict ns = ns(py, GENERATORS);
            PyObject produced = ns.getItem("produced");
            PyIterator it = ns.getItem("squares").call(5).as(PyIterator.class);
            assertEquals(0, produced.len(), "nothing runs before the first request");
            assertTrue(it.hasNext());
            assertEquals(1, produced.len());
            assertTrue(it.hasNext(), "hasNext twice fetches only once");
            assertEquals(1, produced.len());
            assertEquals(0L, it.next().toJava(long.class));
            assertEquals(1L, it.next().toJava(long.class));
            assertEquals(2, produced.len());
            assertEquals(List.of(4L, 9L, 16L), longs(it));
            assertFalse(it.hasNext());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            return null;
        });
    }

    @Test
    void generatorAsLazyStream() {
        Python.attach(py -> {
            PyDict ns = ns(py, GENERATORS);
            PyObject produced = ns.getItem("produced");
            List<Long> firstFive = ns.getItem("naturals").call().stream().limit(5).map(o -> o.toJava(long.class)).toList();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), firstFive);
            assertTrue(produced.len() <= 6, "an infinite generator was pulled " + produced.len() + " times for 5 items");
            // stream operations with a Python iterable
            assertEquals(30L, ns.getItem("squares").call(5).stream().mapToLong(o -> o.toJava(long.class)).sum());
            assertEquals(List.of("a", "b"), py.eval("'ab'").stream().map(o -> o.toJava(String.class)).toList());
            return null;
        });
    }

    @Test
    void stopIterationEndsTheIteration() {
        Python.attach(py -> {
            PyDict ns = ns(py, GENERATORS);
            assertEquals(List.of(2L, 1L, 0L), longs(ns.getItem("Countdown").call(3).as(PyIterator.class)));
            assertEquals(List.of(2L, 1L, 0L), longs(ns.getItem("Countdown").call(3).iterator()));
            PyIterator r = ns.getItem("returns_value").call().as(PyIterator.class);
            assertEquals("only", r.next().toJava(String.class));
            assertFalse(r.hasNext());
            assertEquals(0L, ns.getItem("Countdown").call(0).stream().count());
            // a for-each loop over any iterable
            List<String> seen = new ArrayList<>();
            for (PyObject o : py.eval("{'x': 1, 'y': 2}")) {
                seen.add(o.toJava(String.class));
            }
            assertEquals(List.of("x", "y"), seen);
            return null;
        });
    }

    @Test
    void generatorRaisingMidway() {
        Python.attach(py -> {
            PyDict ns = ns(py, GENERATORS);
            PyIterator it = ns.getItem("fails_midway").call().as(PyIterator.class);
            assertEquals(1L, it.next().toJava(long.class));
            assertEquals(2L, it.next().toJava(long.class));
            PyValueError e = assertThrows(PyValueError.class, it::hasNext);
            assertEquals("ValueError: midway", e.getMessage());
            assertTrue(e.getStackTrace()[0].getMethodName().equals("fails_midway"), e.getStackTrace()[0].toString());
            // a finished generator then stops
            assertFalse(it.hasNext());
            // through a stream
            List<Long> got = new ArrayList<>();
            PyValueError s = assertThrows(PyValueError.class,
                    () -> ns.getItem("fails_midway").call().stream().forEach(o -> got.add(o.toJava(long.class))));
            assertEquals("midway", s.pythonMessage());
            assertEquals(List.of(1L, 2L), got);
            return null;
        });
    }

    @Test
    void notIterable() {
        Python.attach(py -> {
            assertThrows(PyTypeError.class, () -> py.eval("42").iterator());
            assertThrows(ClassCastException.class, () -> py.eval("[1, 2]").as(PyIterator.class));
            return null;
        });
    }

    /** A Java iterator that counts how often Python asks it for an item. */
    private static final class Counting<T> implements Iterator<T> {
        final Iterator<T> delegate;
        final AtomicInteger nexts = new AtomicInteger();

        Counting(Iterator<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public T next() {
            nexts.incrementAndGet();
            return delegate.next();
        }
    }

    @Test
    void javaIteratorIsLazyInPython() {
        Python.attach(py -> {
            Counting<Long> infinite = new Counting<>(Stream.iterate(0L, i -> i + 1).iterator());
            PyIterator it = py.iterator(infinite);
            assertEquals(0, infinite.nexts.get());
            PyDict ns = ns(py, "import itertools\ndef take(it, n):\n    return [next(it) for _ in range(n)]\n");
            assertEquals("[0, 1, 2]", ns.getItem("take").call(it, 3).repr());
            assertEquals(3, infinite.nexts.get(), "Python pulled more than it needed");
            assertEquals("[3, 4]", py.eval("lambda it: list(__import__('itertools').islice(it, 2))").call(it).repr());
            assertEquals(5, infinite.nexts.get());
            // iter(it) is it
            assertTrue(py.eval("lambda it: iter(it) is it").call(it).isTruthy());
            // and from Java through the same PyIterator
            assertEquals(5L, it.next().toJava(long.class));
            return null;
        });
    }

    @Test
    void javaIteratorEndsWithStopIteration() {
        Python.attach(py -> {
            PyIterator it = py.iterator(List.of("a", "b", "c").iterator());
            PyDict ns = ns(py, String.join("\n",
                    "def drain(it):",
                    "    out = [x for x in it]",
                    "    try:",
                    "        next(it)",
                    "    except StopIteration:",
                    "        out.append('stopped')",
                    "    out.append(next(it, 'default'))",
                    "    return out",
                    ""));
            assertEquals("['a', 'b', 'c', 'stopped', 'default']", ns.getItem("drain").call(it).repr());
            assertEquals("[]", py.eval("list").call(py.iterator(List.of().iterator())).repr());
            return null;
        });
    }

    @Test
    void javaIteratorThatThrows() {
        Python.attach(py -> {
            IllegalStateException broken = new IllegalStateException("iterator broke");
            Iterator<Integer> bad = new Iterator<>() {
                int n;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    if (n == 2) {
                        throw broken;
                    }
                    return n++;
                }
            };
            PyIterator it = py.iterator(bad);
            assertSame(broken, assertThrows(IllegalStateException.class, () -> py.eval("list").call(it)));
            return null;
        });
    }

    @Test
    void javaIterableCanBeIteratedTwice() {
        Python.attach(py -> {
            AtomicInteger iterators = new AtomicInteger();
            List<Integer> data = List.of(1, 2, 3);
            Iterable<Integer> counting = () -> {
                iterators.incrementAndGet();
                return data.iterator();
            };
            PyObject iterable = py.iterable(counting);
            assertEquals(0, iterators.get());
            PyDict ns = ns(py, String.join("\n",
                    "def twice(xs):",
                    "    first = list(xs)",
                    "    second = [x * 10 for x in xs]",
                    "    return (first, second, sum(xs), 2 in xs)",
                    ""));
            assertEquals("([1, 2, 3], [10, 20, 30], 6, True)", ns.getItem("twice").call(iterable).repr());
            assertEquals(4, iterators.get(), "each iteration in Python starts one Java iteration");
            // and nested iteration over the same iterable
            assertEquals("[(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3)]",
                    py.eval("lambda xs: [(a, b) for a in xs for b in xs]").call(iterable).repr());
            return null;
        });
    }

    @Test
    void javaStopIterationIsHonoured() {
        Python.attach(py -> {
            AtomicInteger n = new AtomicInteger();
            // a Java function raising StopIteration works as __next__ via iter(callable, sentinel) too
            PyObject f = py.function("counter", () -> {
                if (n.get() == 3) {
                    throw new PyStopIteration(null);
                }
                return n.incrementAndGet();
            });
            assertEquals("[1, 2]", py.eval("lambda f: list(iter(f, 3))").call(f).repr());
            return null;
        });
    }
}
