package dev.pyjama.calls;

import static dev.pyjama.Kwargs.args;
import static dev.pyjama.Kwargs.kw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Kwargs;
import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

/**
 * Calling Python from Java: positional and keyword arguments, {@link Kwargs}, {@code *args} /
 * {@code **kwargs} unpacking, methods by name; the same results on every interpreter (vectorcall on
 * 3.11+, the dict-based fallback on 3.10).
 */
class CallPythonTest {

    /** Runs {@code code} in a fresh namespace and returns it, so tests do not share globals. */
    static PyDict ns(Python py, String code) {
        PyDict ns = py.dict();
        py.run(code, ns, null);
        return ns;
    }

    private static final String ECHO = String.join("\n",
            "def echo(*args, **kwargs):",
            "    return repr((args, list(kwargs.items())))",
            "def fake_print(*objects, sep=' ', end='\\n'):",
            "    return sep.join(map(str, objects)) + end",
            "def fixed(a, b=2, *rest, c=3, **kw):",
            "    return repr((a, b, rest, c, list(kw.items())))",
            "");

    @Test
    void positionalArguments() {
        Python.attach(py -> {
            PyDict ns = ns(py, ECHO);
            PyObject echo = ns.getItem("echo");
            assertEquals("((), [])", echo.call().toJava(String.class));
            assertEquals("((1, 'x', 2.5, None, True, b'\\x01'), [])",
                    echo.call(1, "x", 2.5, null, true, new byte[] {1}).toJava(String.class));
            PyObject list = py.eval("[1, 2]");
            assertEquals("(([1, 2],), [])", echo.call(list).toJava(String.class));
            // the object itself is passed, not a copy
            assertTrue(py.eval("lambda a, b: a is b").call(list, list).isTruthy());
            return null;
        });
    }

    @Test
    void keywordArgumentsFromMapKeepOrder() {
        Python.attach(py -> {
            PyObject echo = ns(py, ECHO).getItem("echo");
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("zeta", 1);
            kwargs.put("alpha", "a");
            kwargs.put("mid", null);
            assertEquals("((7,), [('zeta', 1), ('alpha', 'a'), ('mid', None)])",
                    echo.call(new Object[] {7}, kwargs).toJava(String.class));
            // no positional arguments, only keywords
            assertEquals("((), [('zeta', 1), ('alpha', 'a'), ('mid', None)])",
                    echo.call(new Object[0], kwargs).toJava(String.class));
            // an empty map is a plain call
            assertEquals("((1, 2), [])", echo.call(new Object[] {1, 2}, Map.of()).toJava(String.class));
            return null;
        });
    }

    @Test
    void kwargsBuilderLikePrint() {
        Python.attach(py -> {
            PyDict ns = ns(py, ECHO);
            Kwargs kw = kw("sep", ", ").and("end", "");
            assertEquals(List.of("sep", "end"), new ArrayList<>(kw.keySet()));
            assertEquals("((), [('sep', ', '), ('end', '')])", ns.getItem("echo").call(args(), kw).toJava(String.class));
            assertEquals("a, b, 3", ns.getItem("fake_print").call(args("a", "b", 3), kw).toJava(String.class));
            assertEquals("a b\n", ns.getItem("fake_print").call("a", "b").toJava(String.class));
            // the real print, into a StringIO
            PyObject buffer = py.importModule("io").callMethod("StringIO");
            PyObject print = py.builtins().getAttr("print");
            print.call(args("x", 1, null), kw("sep", ", ").and("end", "").and("file", buffer));
            print.call(args("!"), kw("file", buffer));
            assertEquals("x, 1, None!\n", buffer.callMethod("getvalue").toJava(String.class));
            return null;
        });
    }

    @Test
    void kwargsBuilderRejectsDuplicatesAndIsReadOnly() {
        Kwargs kw = kw("a", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kw.and("a", 2));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> kw.put("b", 2));
        assertThrows(UnsupportedOperationException.class, () -> kw.entrySet().clear());
        assertEquals(Map.of("a", 1), kw);
    }

    @Test
    void keywordErrorsAreTypeErrors() {
        Python.attach(py -> {
            PyObject fixed = ns(py, ECHO).getItem("fixed");
            PyTypeError dup = assertThrows(PyTypeError.class, () -> fixed.call(args(1), kw("a", 2)));
            assertTrue(dup.getMessage().contains("multiple values for argument 'a'"), dup.getMessage());
            PyTypeError missing = assertThrows(PyTypeError.class, () -> fixed.call(args(), kw("b", 2)));
            assertTrue(missing.getMessage().contains("missing 1 required positional argument: 'a'"), missing.getMessage());
            // a builtin that takes no keywords
            PyTypeError noKw = assertThrows(PyTypeError.class, () -> py.builtins().getAttr("len").call(args("ab"), kw("x", 1)));
            assertTrue(noKw.getMessage().contains("keyword"), noKw.getMessage());
            return null;
        });
    }

    @Test
    void callUnpackingWithListTupleAndDict() {
        Python.attach(py -> {
            PyObject fixed = ns(py, ECHO).getItem("fixed");
            assertEquals("(1, 2, (3, 4), 3, [])", fixed.callUnpacking(py.eval("[1, 2, 3, 4]"), null).toJava(String.class));
            assertEquals("(1, 'b', (), 'c', [('z', 0), ('y', 1)])",
                    fixed.callUnpacking(py.eval("(1, 'b')"), py.eval("{'c': 'c', 'z': 0, 'y': 1}")).toJava(String.class));
            assertEquals("('k', 2, (), 3, [])", fixed.callUnpacking(null, py.eval("{'a': 'k'}")).toJava(String.class));
            // any iterable and any mapping
            assertEquals("(0, 1, (4,), 3, [('q', 1)])",
                    fixed.callUnpacking(py.eval("(i * i for i in range(3))"), py.eval("__import__('types').MappingProxyType({'q': 1})"))
                            .toJava(String.class));
            assertEquals(0L, py.eval("lambda *a, **k: len(a) + len(k)").callUnpacking(null, null).toJava(long.class));
            assertThrows(PyTypeError.class, () -> fixed.callUnpacking(py.eval("[1]"), py.eval("{'a': 2}")));
            assertThrows(PyTypeError.class, () -> fixed.callUnpacking(py.eval("5"), null));
            return null;
        });
    }

    @Test
    void callMethodByName() {
        Python.attach(py -> {
            PyDict ns = ns(py, String.join("\n",
                    "class Greeter:",
                    "    def __init__(self, greeting):",
                    "        self.greeting = greeting",
                    "    def greet(self, name, punctuation='.', *, loud=False):",
                    "        s = '%s, %s%s' % (self.greeting, name, punctuation)",
                    "        return s.upper() if loud else s",
                    ""));
            PyObject g = ns.getItem("Greeter").call("Hello");
            assertEquals("Hello, Ann.", g.callMethod("greet", "Ann").toJava(String.class));
            assertEquals("Hello, Ann!", g.callMethod("greet", "Ann", "!").toJava(String.class));
            assertEquals("HELLO, BOB?", g.callMethod("greet", args("Bob"), kw("loud", true).and("punctuation", "?"))
                    .toJava(String.class));
            assertEquals("Hello, Bob.", g.callMethod("greet", args(), kw("name", "Bob")).toJava(String.class));
            assertEquals("['a', 'b c']", py.toPython("a b c").callMethod("split", args(), kw("maxsplit", 1)).repr());
            assertEquals("['a', 'b', 'c']", py.toPython("a b c").callMethod("split").repr());
            assertThrows(PyTypeError.class, () -> g.callMethod("greet", args("x"), kw("nope", 1)));
            return null;
        });
    }

    /**
     * Every kind of callable (Python function, builtin, type, bound method, an object with
     * {@code __call__}, partial, Java function) with and without keywords: the results are the same
     * as Python's own call, on every interpreter (3.10 has no exported vectorcall and uses a dict).
     */
    @Test
    void sameResultsAsPythonForEveryKindOfCallable() {
        Python.attach(py -> {
            PyDict ns = ns(py, String.join("\n",
                    "import functools",
                    "def f(a, b=10, *rest, c=100, **kw):",
                    "    return repr((a, b, rest, c, list(kw.items())))",
                    "class K:",
                    "    def __init__(self, a, b=10, *rest, c=100, **kw):",
                    "        self.r = repr((a, b, rest, c, list(kw.items())))",
                    "    def __repr__(self):",
                    "        return self.r",
                    "    def m(self, a, b=10, *rest, c=100, **kw):",
                    "        return repr((a, b, rest, c, list(kw.items())))",
                    "class Callable:",
                    "    def __call__(self, a, b=10, *rest, c=100, **kw):",
                    "        return repr((a, b, rest, c, list(kw.items())))",
                    "callables = {",
                    "    'function': f,",
                    "    'type': lambda *a, **k: repr(K(*a, **k)),",
                    "    'bound_method': K(0).m,",
                    "    'dunder_call': Callable(),",
                    "    'partial': functools.partial(f),",
                    "}",
                    ""));
            PyObject callables = ns.getItem("callables");
            List<String> names = List.of("function", "type", "bound_method", "dunder_call", "partial");
            PyObject expected = py.eval("lambda c, a, k: c(*a, **k)");
            for (String name : names) {
                PyObject c = callables.getItem(name);
                String p1 = py.eval("lambda c: c(1)").call(c).toJava(String.class);
                assertEquals("(1, 10, (), 100, [])", p1, name);
                assertEquals(p1, c.call(1).toJava(String.class), name);
                assertEquals("(1, 2, (3, 4), 100, [])", c.call(1, 2, 3, 4).toJava(String.class), name);
                Kwargs kw = kw("z", "zz").and("c", 5).and("b", 7);
                assertEquals("(1, 7, (), 5, [('z', 'zz')])", c.call(args(1), kw).toJava(String.class), name);
                assertEquals("('A', 10, (), 100, [('y', None)])", c.call(args(), kw("a", "A").and("y", null)).toJava(String.class), name);
                Kwargs kw2 = kw("z", "zz").and("c", 5);
                assertEquals(expected.call(c, py.tuple(1, 2, 3), py.dict(kw2)).toJava(String.class),
                        c.call(args(1, 2, 3), kw2).toJava(String.class), name);
            }
            // no argument (its own path): a missing one is Python's TypeError for every kind, and
            // bound methods (which may write their self before the arguments) get theirs
            for (String name : names) {
                assertThrows(PyTypeError.class, () -> callables.getItem(name).call(), name);
            }
            assertEquals("'bound'", py.eval("type('T', (), {'m': lambda self: 'bound'})().m").call().repr());
            assertEquals("[1, 2]", py.eval("[1, 2].copy").call().repr());
            assertEquals(42L, py.eval("__import__('functools').partial(lambda a: a * 2, 21)").call().toJava(long.class));
            assertEquals("0", py.builtins().getAttr("int").call().repr());
            // builtins that take keywords: sorted (vectorcall-capable builtin), int (a type), dict (collects **kw)
            PyObject sorted = py.builtins().getAttr("sorted");
            assertEquals("[3, 2, 1]", sorted.call(args(py.eval("[2, 3, 1]")), kw("reverse", true)).repr());
            assertEquals(255L, py.builtins().getAttr("int").call(args("ff"), kw("base", 16)).toJava(long.class));
            assertEquals("{'b': 1, 'a': 2}", py.builtins().getAttr("dict").call(args(), kw("b", 1).and("a", 2)).repr());
            return null;
        });
    }

    @Test
    void internedNamesAreTheSameObject() {
        Python.attach(py -> {
            PyObject a = py.intern("split_name_for_test");
            PyObject b = py.intern("split_name_for_test");
            assertTrue(a.equals(b), "intern gives the same object each time");
            assertTrue(py.eval("lambda s: __import__('sys').intern('split_name_for_test') is s").call(a).isTruthy());
            return null;
        });
    }

    /**
     * Java -> Python -> Java -> ... 60 levels deep, each call with many arguments and keywords, so
     * the per-thread argument stack grows while outer calls still use their slots.
     */
    @Test
    void deepReentrantCallsWithManyArguments() {
        Python.attach(py -> {
            PyDict ns = ns(py, "def down(f, depth, *args, **kw):\n    return f(depth, len(args), len(kw), *args, **kw)\n");
            PyObject down = ns.getItem("down");
            PyCallable[] self = new PyCallable[1];
            self[0] = py.function("java_down", (p, args, kwargs) -> {
                long depth = args.get(0).toJava(long.class);
                long nargs = args.get(1).toJava(long.class);
                long nkw = args.get(2).toJava(long.class);
                if (nargs != depth * 10 || nkw != depth || args.size() != 3 + nargs || kwargs.size() != nkw) {
                    throw new AssertionError("depth " + depth + ": " + args.size() + " args, " + kwargs.size() + " kwargs");
                }
                for (int i = 0; i < nargs; i++) {
                    if (args.get(3 + i).toJava(long.class) != depth * 1000 + i) {
                        throw new AssertionError("depth " + depth + " arg " + i + " = " + args.get(3 + i));
                    }
                }
                if (depth == 60) {
                    return depth;
                }
                long next = depth + 1;
                Object[] a = new Object[(int) (2 + next * 10)];
                a[0] = self[0];
                a[1] = next;
                for (int i = 0; i < next * 10; i++) {
                    a[2 + i] = next * 1000 + i;
                }
                Map<String, Object> kw = new LinkedHashMap<>();
                for (int i = 0; i < next; i++) {
                    kw.put("k" + i, i);
                }
                long inner = down.call(a, kw).toJava(long.class);
                // the outer arguments are intact after the inner calls
                if (nargs > 0 && args.get(3).toJava(long.class) != depth * 1000) {
                    throw new AssertionError("outer args overwritten at depth " + depth);
                }
                return inner + depth;
            });
            assertEquals(60L * 61 / 2, self[0].call(0, 0, 0).toJava(long.class));
            return null;
        });
    }

    /** 100,000 calls, each in its own nested scope, with keywords: every result exact. */
    @Test
    void callInLongLoopWithNestedScopes() {
        Python.attach(py -> {
            PyObject f = py.eval("lambda a, b, *, c=0: a * 3 + b - c");
            PyObject method = py.eval("[]");
            long total = 0;
            long expected = 0;
            for (int i = 0; i < 100_000; i++) {
                final int n = i;
                long r = py.scope(inner -> {
                    long v = (n % 2 == 0 ? f.call(n, 1) : f.call(args(n, 1), kw("c", n))).toJava(long.class);
                    if (n % 1000 == 0) {
                        method.callMethod("append", v);
                    }
                    return v;
                });
                long want = n % 2 == 0 ? 3L * n + 1 : 2L * n + 1;
                if (r != want) {
                    throw new AssertionError("iteration " + i + ": " + r + " != " + want);
                }
                total += r;
                expected += want;
            }
            assertEquals(expected, total);
            assertEquals(100, method.len());
            assertEquals(3L * 99_000 + 1, method.getItem(99).toJava(long.class));
            return null;
        });
    }

    /**
     * A call with one argument (its own path on 3.11+, {@code PyObject_CallOneArg}) passes the
     * argument as itself, releases it exactly once whether the callee returns it, keeps it or
     * raises, and throws the callee's exception; a Java value with no Python form fails before
     * the call.
     */
    @Test
    void oneArgumentCallsReleaseTheirArgumentOnceWhateverTheCalleeDoes() {
        Python.attach(py -> {
            PyDict ns = ns(py, "kept = []\n"
                    + "def keep(x):\n    kept.append(x)\n    return len(kept)\n"
                    + "def same(x):\n    return x\n");
            PyObject probe = py.eval("object()");
            PyObject getrefcount = py.importModule("sys").getAttr("getrefcount");
            long before = getrefcount.call(probe).toJava(long.class);
            for (int i = 0; i < 1000; i++) {
                py.scope(inner -> {
                    assertEquals(probe, ns.getItem("same").call(probe), "the argument arrives as itself (identity)");
                    List<Object> loop = new ArrayList<>();
                    loop.add(loop);
                    assertThrows(IllegalArgumentException.class, () -> ns.getItem("same").call(loop),
                            "a Java value with no Python form (a list that contains itself)");
                    // a C callee that raises (a Python one would keep the argument in its traceback's frame)
                    PyTypeError raised = assertThrows(PyTypeError.class, () -> py.builtins().getAttr("int").call(probe));
                    assertTrue(raised.getMessage().contains("'object'"), raised.getMessage());
                    return null;
                });
            }
            assertEquals(before, getrefcount.call(probe).toJava(long.class), "no reference of the argument is left or lost");
            for (long i = 1; i <= 300; i++) {
                assertEquals(i, ns.getItem("keep").call(i * 1_000_003).toJava(long.class));
            }
            List<?> kept = ns.getItem("kept").toJava(List.class);
            for (int i = 0; i < kept.size(); i++) {
                assertEquals((i + 1) * 1_000_003L, kept.get(i), "an int Python kept never changes");
            }
            return null;
        });
    }

    /** Keyword names and their order arrive in Python exactly as given, whatever they are. */
    @Property(tries = 60)
    void keywordOrderIsPreserved(@ForAll @Size(max = 8) @UniqueElements List<@AlphaChars @StringLength(min = 1, max = 6) String> names) {
        Python.attach(py -> {
            Map<String, Object> kwargs = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                kwargs.put(names.get(i), i);
            }
            PyObject keys = py.eval("lambda *a, **k: list(k)").call(args("p"), kwargs);
            PyObject values = py.eval("lambda *a, **k: list(k.values())").call(args("p"), kwargs);
            assertEquals(names, keys.toJava(List.class));
            List<Long> want = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                want.add((long) i);
            }
            assertEquals(want, values.toJava(List.class));
            return null;
        });
    }
}
