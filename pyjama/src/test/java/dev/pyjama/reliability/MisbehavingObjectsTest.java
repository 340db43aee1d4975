package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.Py;
import dev.pyjama.PyDict;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.PySet;
import dev.pyjama.PyTuple;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.internal.runtime.ReleaseQueue;
import dev.pyjama.testing.PyTesting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Objects whose special methods raise or return the wrong type go through every conversion and
 * operation: each gives a result or a Java {@link RuntimeException} (never an {@link Error}, never a
 * crash), {@code toString()} never throws, no Python error is left pending, and a raising
 * {@code __del__} during scope close, nested scope close or a Cleaner drain does not propagate.
 */
class MisbehavingObjectsTest {

    static final String CLASS = """
            class Bad:
                def __init__(self, mode):
                    self.mode = mode
                def _act(self, name, good):
                    m = self.mode
                    if m == 'raise': raise ValueError('bad ' + name)
                    if m == 'wrongtype': return object()
                    if m == 'none': return None
                    if m == 'huge': return 2 ** 100 if name != 'float' else 1e308 * 10
                    if m == 'negative': return -1
                    if m == 'exit': raise SystemExit('exit in ' + name)
                    if m == 'keyboard': raise KeyboardInterrupt(name)
                    if m == 'recurse': return getattr(self, '__' + name + '__')()
                    return good
                def __eq__(self, o): return self._act('eq', True)
                def __ne__(self, o): return self._act('ne', False)
                def __lt__(self, o): return self._act('lt', False)
                def __hash__(self): return self._act('hash', 1)
                def __repr__(self): return self._act('repr', 'Bad()')
                def __str__(self): return self._act('str', 'Bad')
                def __len__(self): return self._act('len', 1)
                def __iter__(self): return self._act('iter', iter([1]))
                def __index__(self): return self._act('index', 1)
                def __int__(self): return self._act('int', 1)
                def __float__(self): return self._act('float', 1.0)
                def __bool__(self): return self._act('bool', True)
                def __getitem__(self, k): return self._act('getitem', 1)
                def __contains__(self, k): return self._act('contains', True)
                def keys(self): return self._act('keys', ['a'])
                def __fspath__(self): return self._act('fspath', '/tmp')
            """;

    static final List<String> MODES = List.of("raise", "wrongtype", "none", "huge", "negative", "exit", "keyboard",
            "recurse");

    /** Every operation, by name, applied to a handle. */
    static Map<String, Function<PyObject, Object>> operations(Python py) {
        Map<String, Function<PyObject, Object>> ops = new LinkedHashMap<>();
        for (Class<?> c : List.of(Object.class, long.class, int.class, double.class, boolean.class, String.class,
                List.class, Map.class, java.util.Set.class, long[].class, Object[].class, byte[].class,
                java.math.BigInteger.class, java.nio.file.Path.class, java.util.Optional.class)) {
            ops.put("toJava(" + c.getSimpleName() + ")", o -> o.toJava(c));
        }
        ops.put("toString", o -> assertDoesNotThrow(o::toString, "toString must never throw"));
        ops.put("repr", PyObject::repr);
        ops.put("str", PyObject::str);
        ops.put("len", PyObject::len);
        ops.put("isTruthy", PyObject::isTruthy);
        ops.put("pyEquals", o -> o.pyEquals(1));
        ops.put("pyHash", PyObject::pyHash);
        ops.put("contains", o -> o.contains(1));
        ops.put("getItem", o -> o.getItem(0));
        ops.put("iterate", o -> {
            long n = 0;
            for (PyObject item : o) {
                n++;
            }
            return n;
        });
        ops.put("stream", o -> o.stream().count());
        ops.put("as(PyList)", o -> o.as(PyList.class));
        ops.put("tryAs(PyDict)", o -> o.tryAs(PyDict.class));
        ops.put("dict.put(key)", o -> {
            PyDict d = py.dict();
            d.put(1, "one");
            d.put(o, 2);
            return d.len();
        });
        ops.put("dict.put(value)", o -> {
            PyDict d = py.dict();
            d.put("k", o);
            return d.get("k");
        });
        ops.put("set.add", o -> {
            PySet s = py.set(1);
            s.add(o);
            return s.len();
        });
        ops.put("list.contains", o -> py.list(1, o).contains(o));
        ops.put("list.asList.indexOf", o -> py.list(1, 2).asList().indexOf(o));
        ops.put("tuple.of", o -> py.tuple(o, o).len());
        ops.put("call-arg", o -> py.eval("lambda x: x").call(o));
        ops.put("sorted", o -> py.eval("sorted").call(py.list(o, o, 1)));
        ops.put("compare-LT", o -> o.compare(dev.pyjama.CompareOp.LT, 1));
        ops.put("plus", o -> o.plus(1));
        ops.put("unbind-bind", o -> {
            Py<PyObject> r = o.unbind();
            try {
                return r.bind(py).repr();
            } finally {
                r.close();
            }
        });
        ops.put("hashCode-equals", o -> o.hashCode() + (o.equals(o) ? 1 : 0));
        ops.put("toPython-map-key", o -> py.toPython(Map.of(o.unbind(), 1)));
        return ops;
    }

    public static final class Cases implements ScenarioSet {

        static void noPendingError(Python py) {
            assertEquals(2L, py.eval("1 + 1").toJava(long.class));
            assertTrue(py.eval("__import__('sys').exc_info()[0] is None").toJava(boolean.class));
        }

        @Override
        public Map<String, Body> scenarios() {
            Builder b = new Builder();
            for (String mode : MODES) {
                b.add("mode-" + mode, () -> Python.attach(py -> {
                    py.run(CLASS);
                    List<String> problems = new ArrayList<>();
                    Map<String, String> outcomes = new LinkedHashMap<>();
                    for (Map.Entry<String, Function<PyObject, Object>> op : operations(py).entrySet()) {
                        py.scope(in -> {
                            PyObject bad = in.eval("Bad('" + mode + "')");
                            try {
                                Object r = op.getValue().apply(bad);
                                outcomes.put(op.getKey(), "-> " + (r instanceof PyObject ? "handle" : String.valueOf(r)));
                            } catch (RuntimeException e) {
                                outcomes.put(op.getKey(), "threw " + e.getClass().getSimpleName());
                            } catch (Throwable t) {
                                problems.add(op.getKey() + ": " + t);
                            }
                            try {
                                noPendingError(in);
                            } catch (Throwable t) {
                                problems.add(op.getKey() + " left the interpreter in a bad state: " + t);
                            }
                            return null;
                        });
                    }
                    System.out.println("mode " + mode + ": " + outcomes);
                    if (!problems.isEmpty()) {
                        fail(String.join("\n", problems));
                    }
                    return null;
                }));
            }
            b.add("raising-eq-in-dict-put", () -> Python.attach(py -> {
                py.run(CLASS);
                PyDict d = py.dict();
                d.put(1, "one"); // Bad('raise') hashes... by raising; a colliding key must call __eq__
                py.run("class _Collide:\n    def __hash__(self): return 1\n    def __eq__(self, o): raise ValueError('eq!')\n");
                PyValueError e = assertThrows(PyValueError.class, () -> d.put(py.eval("_Collide()"), 2));
                assertTrue(e.getMessage().contains("eq!"), e.getMessage());
                assertThrows(PyValueError.class, () -> d.get(py.eval("_Collide()")));
                assertThrows(PyValueError.class, () -> d.asMap().containsKey(py.eval("_Collide()")));
                noPendingError(py);
                return null;
            }));
            b.add("raising-__del__-on-scope-close", () -> {
                Python.attach(py -> {
                    py.run("class _DelRaises:\n    def __del__(self):\n        raise ValueError('del!')\n"
                            + "class _DelExits:\n    def __del__(self):\n        raise SystemExit(3)\n"
                            + "class _DelCallsJava:\n    def __init__(self, f): self.f = f\n"
                            + "    def __del__(self):\n        self.f()\n");
                    py.scope(in -> {
                        in.eval("_DelRaises()");
                        in.eval("_DelExits()");
                        in.eval("_DelCallsJava").call(in.function("boom", () -> {
                            throw new IllegalStateException("thrown in Java from __del__");
                        }));
                        return null;
                    });
                    PyObject early = py.eval("_DelRaises()");
                    assertDoesNotThrow(early::close);
                    noPendingError(py);
                    return null;
                });
                // the outermost scope closing
                assertDoesNotThrow(() -> Python.attach(py -> py.eval("_DelRaises()")));
                // while an exception is propagating out of the scope
                PyBaseException e = assertThrows(PyBaseException.class, () -> Python.attach(py -> {
                    py.eval("_DelRaises()");
                    return py.eval("1 / 0");
                }));
                assertEquals("ZeroDivisionError", e.pythonTypeName());
                Python.attach(py -> {
                    noPendingError(py);
                    return null;
                });
            });
            b.add("raising-__del__-in-cleaner-drain", () -> {
                for (int i = 0; i < 100; i++) {
                    Python.attach(py -> py.eval("_DelRaises()").unbind()); // dropped: the Cleaner queues it
                }
                assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(10), () -> ReleaseQueue.pendingCount() >= 50),
                        "the Cleaner did not queue the dropped references");
                assertDoesNotThrow(() -> Python.attach(py -> {
                    noPendingError(py);
                    return null;
                }));
                assertEquals(0, ReleaseQueue.pendingCount());
            });
            return b.build();
        }
    }

    @TestFactory
    Stream<DynamicTest> misbehavingObjects() {
        return ForkedScenarios.run("misbehaving objects", Cases.class, n -> true, 90).stream();
    }
}
