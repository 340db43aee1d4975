package dev.pyjama.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyDict;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.internal.runtime.Upcalls;
import dev.pyjama.testing.PyTesting;
import java.lang.ref.WeakReference;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Java objects in Python: {@code pyjama.JavaObject}, overloads, protocols, views, release. Public,
 * as Python reaches only public members of public classes (a nested class is public only if its
 * outer class is).
 */
public class JavaObjectTest {

    public static final class Point {
        public long x;
        public final long y;
        public String label = "p";

        public Point(long x, long y) {
            this.x = x;
            this.y = y;
        }

        public long sum() {
            return x + y;
        }

        public Point plus(Point other) {
            return new Point(x + other.x, y + other.y);
        }

        @Override
        public String toString() {
            return "Point(" + x + ", " + y + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point p && p.x == x && p.y == y;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(x * 31 + y);
        }
    }

    public static final class Overloads {
        public String f(long v) {
            return "long:" + v;
        }

        public String f(int v) {
            return "int:" + v;
        }

        public String f(BigInteger v) {
            return "BigInteger:" + v;
        }

        public String f(double v) {
            return "double:" + v;
        }

        public String f(String v) {
            return "String:" + v;
        }

        public String f(boolean v) {
            return "boolean:" + v;
        }

        public String f(List<Long> v) {
            return "List:" + v;
        }

        public String f(Map<String, Long> v) {
            return "Map:" + v;
        }

        public String f(Point p) {
            return "Point:" + p;
        }

        public String g(int a, String b) {
            return "int,String";
        }

        public String g(String a, int b) {
            return "String,int";
        }

        public String amb(Runnable r) {
            return "Runnable";
        }

        public String amb(Comparator<String> c) {
            return "Comparator";
        }

        public String join(String sep, String... parts) {
            return String.join(sep, parts);
        }

        public String apply(Function<Long, String> f, long v) {
            return f.apply(v);
        }

        public void fail(String message) {
            throw new IllegalStateException(message);
        }
    }

    public static final class Resource implements AutoCloseable {
        public boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    public record Version(int major, int minor) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }
    }

    private static PyDict ns(Python py) {
        PyDict ns = py.dict();
        ns.setItem("__builtins__", py.builtins());
        py.run("import pyjama, collections.abc as abc", ns, ns);
        return ns;
    }

    @Test
    void methodsAndFields() {
        Python.attach(py -> {
            PyDict ns = ns(py);
            Point p = new Point(1, 2);
            ns.setItem("p", p); // no conversion: the object itself
            assertEquals("JavaObject", py.eval("type(p).__name__", ns, ns).str());
            assertEquals(3L, py.eval("p.sum()", ns, ns).toJava(long.class));
            py.run("p.x = 40\nq = p.plus(p)", ns, ns);
            assertEquals(40, p.x, "Python wrote the Java field");
            assertEquals(new Point(80, 4), ns.getItem("q").toJava(Point.class));
            assertEquals("p", py.eval("p.label", ns, ns).str());
            assertThrows(dev.pyjama.exceptions.PyAttributeError.class, () -> py.run("p.y = 3", ns, ns), "final");
            assertThrows(PyTypeError.class, () -> py.run("p.x = 'text'", ns, ns));
            assertThrows(dev.pyjama.exceptions.PyAttributeError.class, () -> py.eval("p.nothing", ns, ns));
            assertTrue(py.eval("'sum' in dir(p) and 'x' in dir(p)", ns, ns).isTruthy());
            // a method is found once, then Python has it without Java
            assertTrue(py.eval("p.sum is p.sum", ns, ns).isTruthy());
            // back in Java, the same object
            assertSame(p, py.eval("p", ns, ns).toJava(Object.class));
            assertSame(p, py.eval("p", ns, ns).toJava(Point.class));
            return null;
        });
    }

    @Test
    void overloadsAreResolvedFromThePythonArguments() {
        Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("o", new Overloads());
            ns.setItem("pt", new Point(1, 1));
            assertEquals("long:5", py.eval("o.f(5)", ns, ns).str());
            assertEquals("BigInteger:" + BigInteger.ONE.shiftLeft(70), py.eval("o.f(1 << 70)", ns, ns).str());
            assertEquals("double:1.5", py.eval("o.f(1.5)", ns, ns).str());
            assertEquals("String:x", py.eval("o.f('x')", ns, ns).str());
            assertEquals("boolean:true", py.eval("o.f(True)", ns, ns).str());
            assertEquals("List:[1, 2]", py.eval("o.f([1, 2])", ns, ns).str());
            assertEquals("Map:{a=1}", py.eval("o.f({'a': 1})", ns, ns).str());
            assertEquals("Point:Point(1, 1)", py.eval("o.f(pt)", ns, ns).str());
            assertEquals("int,String", py.eval("o.g(1, 'a')", ns, ns).str());
            assertEquals("String,int", py.eval("o.g('a', 1)", ns, ns).str());
            assertEquals("a-b-c", py.eval("o.join('-', 'a', 'b', 'c')", ns, ns).str());
            assertEquals("", py.eval("o.join('-')", ns, ns).str());
            assertEquals("n=41", py.eval("o.apply(lambda n: 'n=%d' % n, 41)", ns, ns).str(),
                    "a Python callable for a Function<Long, String> parameter");
            PyTypeError none = assertThrows(PyTypeError.class, () -> py.eval("o.g(1, 2)", ns, ns));
            assertTrue(none.getMessage().contains("no overload of Overloads.g matches (int, int)"), none.getMessage());
            assertTrue(none.getMessage().contains("g(int, String)") && none.getMessage().contains("g(String, int)"),
                    none.getMessage());
            PyTypeError amb = assertThrows(PyTypeError.class, () -> py.eval("o.amb(lambda *a: 0)", ns, ns));
            assertTrue(amb.getMessage().contains("ambiguous") && amb.getMessage().contains("amb(Runnable)")
                    && amb.getMessage().contains("amb(Comparator)"), amb.getMessage());
            assertThrows(PyTypeError.class, () -> py.eval("o.f(object())", ns, ns));
            return null;
        });
    }

    @Property(tries = 200)
    void integersPickTheNarrowestExactOverload(@ForAll BigInteger v) {
        String expected = v.bitLength() < 64 ? "long:" + v : "BigInteger:" + v;
        assertEquals(expected, Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("o", new Overloads());
            ns.setItem("v", v);
            return py.eval("o.f(v)", ns, ns).str();
        }));
    }

    @Property(tries = 200)
    void eachPythonKindPicksItsOverload(@ForAll double d, @ForAll boolean b, @ForAll String str, @ForAll List<Long> list) {
        List<String> got = Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("o", new Overloads());
            ns.setItem("d", d);
            ns.setItem("b", b);
            ns.setItem("s", str);
            ns.setItem("l", list);
            return py.eval("[o.f(d), o.f(b), o.f(s), o.f(l)]", ns, ns).toJava(new dev.pyjama.TypeRef<List<String>>() {});
        });
        assertEquals(List.of("double:" + d, "boolean:" + b, "String:" + str, "List:" + list), got);
    }

    @Property(tries = 200)
    void fieldsRoundTrip(@ForAll long x, @ForAll String label) {
        Point p = new Point(0, 0);
        Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("p", py.wrap(p));
            ns.setItem("x", x);
            ns.setItem("label", label);
            py.run("p.x = x\np.label = label\nassert p.x == x and p.label == label", ns, ns);
            return null;
        });
        assertEquals(x, p.x);
        assertEquals(label, p.label);
    }

    @Test
    void protocols() {
        Python.attach(py -> {
            PyDict ns = ns(py);
            List<Long> list = new ArrayList<>(List.of(1L, 2L, 3L));
            Map<String, Long> map = new LinkedHashMap<>(Map.of("a", 1L));
            long[] array = {5, 6, 7};
            Collection<String> set = new LinkedHashSet<>(List.of("x", "y"));
            Iterator<String> it = List.of("i", "j").iterator();
            ns.setItem("jl", py.wrap(list));
            ns.setItem("jm", py.wrap(map));
            ns.setItem("ja", py.wrap(array));
            ns.setItem("js", py.wrap(set));
            ns.setItem("ji", py.wrap(it));
            py.run("""
                    assert len(jl) == 3 and jl[0] == 1 and jl[-1] == 3 and 2 in jl and 9 not in jl
                    assert list(jl) == [1, 2, 3]
                    jl[0] = 10
                    del jl[1]
                    assert len(jm) == 1 and jm['a'] == 1 and 'a' in jm and list(jm) == ['a']
                    jm['b'] = 2
                    del jm['a']
                    try:
                        jm['zz']
                        raise AssertionError('no KeyError')
                    except KeyError:
                        pass
                    try:
                        jl[10]
                        raise AssertionError('no IndexError')
                    except IndexError:
                        pass
                    assert len(ja) == 3 and ja[1] == 6 and 7 in ja and list(ja) == [5, 6, 7]
                    ja[0] = 50
                    assert len(js) == 2 and 'x' in js and sorted(js) == ['x', 'y']
                    assert list(ji) == ['i', 'j']
                    assert bool(jl) and not bool(pyjama.java.java_class) is False
                    assert str(jl) == '[10, 3]'
                    assert jl == [10, 3] and jl != [3]
                    assert hash(jl) == hash(jl)
                    """, ns, ns);
            assertEquals(List.of(10L, 3L), list);
            assertEquals(Map.of("b", 2L), map);
            assertEquals(50, array[0]);
            ns.setItem("plain", new Point(1, 2));
            PyTypeError notIterable = assertThrows(PyTypeError.class, () -> py.eval("iter(plain)", ns, ns));
            assertTrue(notIterable.getMessage().contains("not iterable"), notIterable.getMessage());
            assertThrows(PyTypeError.class, () -> py.eval("len(plain)", ns, ns));
            assertThrows(PyTypeError.class, () -> py.eval("plain[0]", ns, ns));
            assertTrue(py.eval("bool(plain)", ns, ns).isTruthy(), "an object without a size is true, as in Python");
            return null;
        });
    }

    @Test
    void withCallAndComparisons() {
        Python.attach(py -> {
            PyDict ns = ns(py);
            Resource r = new Resource();
            Resource r2 = new Resource();
            ns.setItem("r", r);
            ns.setItem("r2", r2);
            Function<Long, Long> twice = v -> v * 2;
            ns.setItem("twice", py.wrap(twice));
            ns.setItem("v1", py.wrap(new Version(1, 2)));
            ns.setItem("v2", py.wrap(new Version(1, 10)));
            py.run("""
                    with r as got:
                        assert got is r
                    try:
                        with r2:
                            raise ValueError('inside')
                    except ValueError:
                        pass
                    assert twice(21) == 42
                    assert v1 < v2 and v2 > v1 and v1 <= v1 and not v1 >= v2
                    assert sorted([v2, v1])[0] == v1
                    """, ns, ns);
            assertTrue(r.closed);
            assertTrue(r2.closed, "closed when the body raised too");
            assertThrows(PyTypeError.class, () -> py.eval("r()", ns, ns), "not a functional interface");
            return null;
        });
    }

    @Test
    void javaExceptionsCrossAsJavaException() {
        Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("o", new Overloads());
            py.run("""
                    try:
                        o.fail('boom')
                    except pyjama.JavaException as e:
                        caught = e.java_class
                    """, ns, ns);
            assertEquals("java.lang.IllegalStateException", ns.getItem("caught").str());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> py.run("o.fail('again')", ns, ns));
            assertEquals("again", e.getMessage());
            return null;
        });
        IllegalStateException original = new IllegalStateException("mine");
        Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("o", new Object() {
                @Override
                public String toString() {
                    throw original;
                }
            });
            assertSame(original, assertThrows(IllegalStateException.class, () -> py.eval("str(o)", ns, ns)),
                    "the same object comes back");
            return null;
        });
    }

    @Test
    void viewsAreLiveMutableSequencesAndMappings() {
        Python.attach(py -> {
            PyDict ns = ns(py);
            List<Object> list = new ArrayList<>(List.of(1L, 2L, 3L));
            Map<Object, Object> map = new LinkedHashMap<>(Map.of("a", 1L));
            ns.setItem("v", py.view(list));
            ns.setItem("m", py.view(map));
            py.run("""
                    assert isinstance(v, abc.MutableSequence) and isinstance(m, abc.MutableMapping)
                    v.append(4)
                    v.insert(0, 0)
                    v.extend([5, 6])
                    v[1] = 'one'
                    del v[2]
                    assert v.pop() == 6
                    assert v[1:3] == ['one', 3]
                    assert v.index(3) == 2 and v.count(4) == 1
                    m['b'] = 2
                    m.update({'c': [1, 2]})
                    assert dict(m.items()) == {'a': 1, 'b': 2, 'c': [1, 2]}
                    assert m.get('zz') is None and m.pop('a') == 1
                    assert sorted(m.keys()) == ['b', 'c']
                    """, ns, ns);
            assertEquals(List.of(0L, "one", 3L, 4L, 5L), list);
            assertEquals(List.of("b", "c"), new ArrayList<>(map.keySet()));
            assertEquals(List.of(1L, 2L), map.get("c"));
            // a view is summed by Python without a copy
            List<Long> big = LongStream.range(0, 10_000).boxed().toList();
            ns.setItem("big", py.view(big));
            assertEquals(LongStream.range(0, 10_000).sum(), py.eval("sum(big)", ns, ns).toJava(long.class));
            assertThrows(IllegalArgumentException.class, () -> py.view("text"));
            return null;
        });
    }

    @Test
    void pythonDroppingAProxyReleasesTheJavaObject() {
        int before = Upcalls.liveObjects();
        WeakReference<Object> weak = Python.attach(py -> {
            Object o = new Object();
            PyDict ns = ns(py);
            ns.setItem("o", o);
            py.run("kept = [o, o]", ns, ns);
            return new WeakReference<>(o);
        });
        // Python dropped it when the namespace died with the scope; the GC on the Java side can take it.
        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(20), () -> {
            Python.attach(py -> {
                PyTesting.mergeHandedOffReleases(py);
                return null;
            });
            return weak.get() == null;
        }), "Python's release did not drop the Java reference");
        assertTrue(Upcalls.liveObjects() <= before, Upcalls.liveObjects() + " > " + before);
    }

    /** A proxy in a Python reference cycle is released by Python's collector, and its Java object by Java's. */
    @Test
    void aProxyInAPythonCycleIsReleasedByBothCollectors() {
        WeakReference<Object> weak = Python.attach(py -> {
            Object o = new Object();
            PyDict ns = ns(py);
            ns.setItem("o", o);
            py.run("import gc\nclass Node: pass\nn = Node()\nn.self = n\nn.java = o\ndel o\ndel n\n", ns, ns);
            return new WeakReference<>(o);
        });
        Python.attach(py -> {
            py.importModule("gc").callMethod("collect");
            return null;
        });
        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(20), () -> weak.get() == null),
                "the cycle's collection did not drop the Java reference");
    }

    @Test
    void aThrowingMethodsExceptionComesBackAsTheSameObject() {
        UnsupportedOperationException thrown = new UnsupportedOperationException("nope");
        Python.attach(py -> {
            PyDict ns = ns(py);
            ns.setItem("thrower", py.wrap((Runnable) () -> {
                throw thrown;
            }));
            assertSame(thrown, assertThrows(UnsupportedOperationException.class, () -> py.run("thrower.run()", ns, ns)));
            assertSame(thrown, assertThrows(UnsupportedOperationException.class, () -> py.run("thrower()", ns, ns)),
                    "calling a functional interface's object");
            return null;
        });
    }

    @Test
    void manyThreadsUseSharedJavaObjects() throws Exception {
        ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();
        AtomicLong total = new AtomicLong();
        // The merge function is Java's: a Python one would run under the map's bin lock, and a
        // thread waiting for that lock while it holds the GIL would deadlock with it.
        BiFunction<Long, Long, Long> sum = Long::sum;
        int threads = 8;
        int n = 300;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads);
                ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < threads * 2; t++) {
                String key = "k" + (t % 4);
                ExecutorService where = t % 2 == 0 ? pool : virtual;
                done.add(where.submit(() -> Python.attach(py -> {
                    PyDict ns = ns(py);
                    py.run("""
                            def work(counts, total, key, n, add):
                                for i in range(n):
                                    counts.merge(key, 1, add)
                                    total.incrementAndGet()
                                return counts.get(key)
                            """, ns, ns);
                    return ns.getItem("work").call(py.wrap(counts), py.wrap(total), key, n, py.wrap(sum))
                            .toJava(long.class);
                })));
            }
            for (Future<Long> f : done) {
                assertTrue(f.get() > 0);
            }
        }
        assertEquals((long) threads * 2 * n, total.get());
        assertEquals((long) threads * 2 * n, counts.values().stream().mapToLong(Long::longValue).sum());
    }
}
