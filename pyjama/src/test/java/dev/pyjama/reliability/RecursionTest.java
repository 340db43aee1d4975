package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyRecursionError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Deep recursion never takes the JVM down: Python recursion past the limit, C-level recursion
 * ({@code repr}, {@code json.dumps}, {@code pickle.dumps} of a 100,000-deep list, {@code ==} of
 * 100,000-deep dicts), compiler recursion (a 100,000-term expression), recursion through Java
 * callbacks (Python -> Java -> Python ...), and pyjama's own conversions of deep containers, each on
 * the main thread (1 MiB stack), a 256 KiB platform thread and a virtual thread. Each thread kind
 * runs in its own forked JVM, so one crash does not hide the others; after each case the interpreter
 * must still work on that thread.
 */
class RecursionTest {

    static final int DEEP = 100_000;

    /** The scenarios: "kind:case" for every thread kind and case. */
    public static final class Cases implements ScenarioSet {

        @Override
        public Map<String, Body> scenarios() {
            Builder b = new Builder();
            for (String kind : ThreadKinds.ALL) {
                b.add(kind + ":python-recursion", () -> check(kind, py -> {
                    py.run("def _rec(n):\n    return _rec(n + 1)\n");
                    PyRecursionError e = assertThrows(PyRecursionError.class, () -> py.eval("_rec(0)"));
                    assertTrue(e.getMessage().contains("recursion"), e.getMessage());
                    return null;
                }));
                b.add(kind + ":repr-deep-list", () -> check(kind, py -> {
                    PyObject deep = deepList(py);
                    assertThrows(PyRecursionError.class, () -> py.eval("repr(_deep)"));
                    assertThrows(PyRecursionError.class, deep::repr);
                    return null;
                }));
                b.add(kind + ":json-deep-list", () -> check(kind, py -> {
                    deepList(py);
                    assertThrows(PyRecursionError.class, () -> py.eval("__import__('json').dumps(_deep)"));
                    return null;
                }));
                b.add(kind + ":pickle-deep-list", () -> check(kind, py -> {
                    deepList(py);
                    assertThrows(PyRecursionError.class, () -> py.eval("__import__('pickle').dumps(_deep)"));
                    return null;
                }));
                b.add(kind + ":deep-dict-compare", () -> check(kind, py -> {
                    py.run("_d1 = {}\n_d2 = {}\nfor _i in range(" + DEEP + "):\n    _d1 = {'a': _d1}\n"
                            + "    _d2 = {'a': _d2}\n");
                    assertThrows(PyRecursionError.class, () -> py.eval("_d1 == _d2"));
                    assertThrows(PyRecursionError.class, () -> py.eval("_d1").pyEquals(py.eval("_d2")));
                    py.run("del _d1, _d2");
                    return null;
                }));
                Map<String, String> deepCode = Map.of("compile-deep-sum", "1" + "+1".repeat(DEEP),
                        "compile-deep-unary-minus", "-".repeat(DEEP) + "1", "compile-deep-not", "not ".repeat(DEEP) + "True",
                        "compile-deep-parens", "(".repeat(DEEP) + ")".repeat(DEEP),
                        "compile-deep-lambda", "lambda: ".repeat(DEEP / 10) + "0");
                for (String name : new java.util.TreeSet<>(deepCode.keySet())) {
                    b.add(kind + ":" + name, () -> check(kind, py -> {
                        PyBaseException e = assertThrows(PyBaseException.class, () -> py.eval(deepCode.get(name)));
                        assertTrue(List.of("RecursionError", "SyntaxError", "MemoryError").contains(e.pythonTypeName()),
                                e.toString());
                        return null;
                    }));
                }
                b.add(kind + ":toJava-deep-list", () -> check(kind, py -> {
                    PyObject deep = deepList(py);
                    Throwable t = assertThrows(Throwable.class, () -> deep.toJava(Object.class));
                    assertTrue(t instanceof RuntimeException || t instanceof StackOverflowError, t.toString());
                    System.out.println("toJava-deep-list on " + kind + " threw " + t.getClass().getName());
                    return null;
                }));
                b.add(kind + ":toPython-deep-java-list", () -> check(kind, py -> {
                    List<Object> deep = new ArrayList<>();
                    for (int i = 0; i < DEEP; i++) {
                        List<Object> outer = new ArrayList<>();
                        outer.add(deep);
                        deep = outer;
                    }
                    List<Object> d = deep;
                    Throwable t = assertThrows(Throwable.class, () -> py.toPython(d));
                    assertTrue(t instanceof RuntimeException || t instanceof StackOverflowError, t.toString());
                    System.out.println("toPython-deep-java-list on " + kind + " threw " + t.getClass().getName());
                    return null;
                }));
                // last: on every version tested it kills the JVM (see the report), hiding what follows
                b.add(kind + ":recursion-through-java-callbacks", () -> check(kind, py -> {
                    // Python -> Java -> Python -> ...: every level has Java frames too.
                    py.run("def _py_side(n):\n    return _java_side(n + 1)\n");
                    PyCallable javaSide = py.function("_java_side", (PyObject n) -> py.eval("_py_side").call(n));
                    py.importModule("__main__").setAttr("_java_side", javaSide);
                    Throwable t = assertThrows(Throwable.class, () -> py.eval("_py_side(0)"));
                    assertTrue(t instanceof PyRecursionError || t instanceof StackOverflowError,
                            "expected PyRecursionError (or StackOverflowError), got " + t);
                    py.run("del _py_side, _java_side");
                    return null;
                }));
            }
            return b.build();
        }

        private static PyObject deepList(Python py) {
            py.run("_deep = []\nfor _i in range(" + DEEP + "):\n    _deep = [_deep]\n");
            return py.eval("_deep");
        }

        /** Runs the case on the thread kind, then checks the interpreter still works there and on main. */
        private static void check(String kind, java.util.function.Function<Python, Void> body) throws Exception {
            ThreadKinds.attachOn(kind, py -> {
                body.apply(py);
                assertEquals(2L, py.eval("1 + 1").toJava(long.class));
                return null;
            });
            assertEquals(Long.valueOf(45), ThreadKinds.<Long>attachOn(kind, py -> py.eval("sum(range(10))").toJava(long.class)));
            assertEquals(Long.valueOf(3), Python.<Long>attach(py -> py.eval("len('abc')").toJava(long.class)));
        }
    }

    @TestFactory
    Stream<DynamicTest> deepRecursion() {
        List<DynamicTest> all = new ArrayList<>();
        for (String kind : ThreadKinds.ALL) {
            if (kind.equals("small")) {
                // one JVM per case: on a 256 KiB stack several cases crash, and one crash must not hide the others
                for (String name : new Cases().scenarios().keySet()) {
                    if (name.startsWith("small:")) {
                        all.addAll(ForkedScenarios.run("recursion " + name, Cases.class, name::equals, 120));
                    }
                }
            } else {
                all.addAll(ForkedScenarios.run("recursion on " + kind, Cases.class, n -> n.startsWith(kind + ":"), 120));
            }
        }
        return all.stream();
    }
}
