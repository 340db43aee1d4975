package dev.pyjama.calls;

import static dev.pyjama.Kwargs.args;
import static dev.pyjama.Kwargs.kw;
import static dev.pyjama.calls.CallPythonTest.ns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.PyObject;
import dev.pyjama.PyTuple;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PySyntaxError;
import dev.pyjama.exceptions.PyTypeError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Java lambdas as Python callables: {@code py.function(...)} in all its forms. */
class JavaFunctionTest {

    @Test
    void supplier() {
        Python.attach(py -> {
            AtomicInteger calls = new AtomicInteger();
            PyCallable answer = py.function("answer", () -> 40 + calls.incrementAndGet() * 2);
            assertEquals(42L, py.eval("lambda f: f()").call(answer).toJava(long.class));
            assertEquals(44L, answer.call().toJava(long.class));
            assertEquals(2, calls.get());
            assertTrue(py.eval("callable").call(answer).isTruthy());
            assertTrue(py.function("nothing", () -> null).call().isNone());
            return null;
        });
    }

    @Test
    void function() {
        Python.attach(py -> {
            PyCallable twice = py.function("twice", x -> x.toJava(long.class) * 2);
            assertEquals(42L, py.eval("lambda f: f(21)").call(twice).toJava(long.class));
            PyCallable upper = py.function("upper", x -> x.toJava(String.class).toUpperCase());
            assertEquals("ABC", py.eval("lambda f: f('abc')").call(upper).toJava(String.class));
            // the argument is the Python object itself, and returning it returns the same object
            PyCallable identity = py.function("identity", x -> x);
            assertTrue(py.eval("lambda f: (lambda o: f(o) is o)(object())").call(identity).isTruthy());
            // a returned object outlives the call's scope in Python
            PyCallable makeList = py.function("make_list", x -> py.list(x, x, "x"));
            assertEquals("[1, 1, 'x']", py.eval("lambda f: repr(f(1))").call(makeList).toJava(String.class));
            return null;
        });
    }

    @Test
    void biFunction() {
        Python.attach(py -> {
            PyCallable concat = py.function("concat", (a, b) -> a.toJava(String.class) + "|" + b.toJava(String.class));
            assertEquals("x|y", py.eval("lambda f: f('x', 'y')").call(concat).toJava(String.class));
            PyCallable add = py.function("add", (a, b) -> a.plus(b));
            assertEquals("[1, 2, 3]", py.eval("lambda f: repr(f([1], [2, 3]))").call(add).toJava(String.class));
            return null;
        });
    }

    @Test
    void javaCallableGetsTupleAndDict() {
        Python.attach(py -> {
            List<String> seen = new ArrayList<>();
            PyCallable f = py.function("anything", (p, args, kwargs) -> {
                assertInstanceOf(PyTuple.class, args);
                assertInstanceOf(PyDict.class, kwargs);
                seen.add(args.repr() + " " + kwargs.repr());
                return args.len() * 100 + kwargs.len();
            });
            PyDict ns = ns(py, "def run(f):\n    return [f(), f(1, 'two'), f(x=1), f(1, z=None, a=[2])]\n");
            assertEquals("[0, 200, 1, 102]", ns.getItem("run").call(f).repr());
            assertEquals(List.of("() {}", "(1, 'two') {}", "() {'x': 1}", "(1,) {'z': None, 'a': [2]}"), seen);
            // from Java too, through call(args, kwargs)
            assertEquals(201L, f.call(args(1, 2), kw("k", "v")).toJava(long.class));
            assertEquals("(1, 2) {'k': 'v'}", seen.get(seen.size() - 1));
            // **kwargs unpacking in Python, with many keywords, keeps order
            assertEquals(5L, py.eval("lambda f: f(**{'e': 5, 'd': 4, 'c': 3, 'b': 2, 'a': 1})").call(f).toJava(long.class));
            assertEquals("() {'e': 5, 'd': 4, 'c': 3, 'b': 2, 'a': 1}", seen.get(seen.size() - 1));
            return null;
        });
    }

    @Test
    void javaCallableUsesItsOwnToken() {
        Python.attach(py -> {
            PyCallable f = py.function("sum_in_python", (p, args, kwargs) -> p.eval("sum").call(args).toJava(long.class));
            assertEquals(6L, py.eval("lambda f: f(1, 2, 3)").call(f).toJava(long.class));
            return null;
        });
    }

    @Test
    void nameOfEveryForm() {
        Python.attach(py -> {
            PyObject name = py.eval("lambda f: f.__name__");
            assertEquals("s", name.call(py.function("s", () -> 1)).toJava(String.class));
            assertEquals("f1", name.call(py.function("f1", x -> x)).toJava(String.class));
            assertEquals("f2", name.call(py.function("f2", (a, b) -> a)).toJava(String.class));
            assertEquals("jc", name.call(py.function("jc", (p, a, k) -> a)).toJava(String.class));
            assertEquals("sig", name.call(py.function("sig", "a", "doc", (p, a, k) -> a)).toJava(String.class));
            assertTrue(py.eval("lambda f: 'jc' in repr(f)").call(py.function("jc", (p, a, k) -> a)).isTruthy());
            return null;
        });
    }

    /**
     * A Java function looks like a plain function to Python: its {@code __qualname__} is its name
     * and its repr does not expose the capsule that carries the Java body.
     */
    @Test
    void qualnameAndReprShowOnlyTheName() {
        Python.attach(py -> {
            PyCallable f = py.function("plain", x -> x);
            assertEquals("plain", py.eval("lambda f: f.__qualname__").call(f).toJava(String.class));
            String repr = f.repr();
            assertFalse(repr.contains("PyCapsule"), repr);
            return null;
        });
    }

    @Test
    void wrongArityOnFixedFormsIsTypeErrorInPython() {
        Python.attach(py -> {
            PyDict ns = ns(py, String.join("\n",
                    "def attempt(f, *args, **kwargs):",
                    "    try:",
                    "        f(*args, **kwargs)",
                    "    except TypeError as e:",
                    "        return 'TypeError: ' + str(e)",
                    "    return 'no error'",
                    ""));
            PyObject attempt = ns.getItem("attempt");
            AtomicInteger ran = new AtomicInteger();
            PyCallable zero = py.function("zero", () -> ran.incrementAndGet());
            PyCallable one = py.function("one", x -> ran.incrementAndGet());
            PyCallable two = py.function("two", (a, b) -> ran.incrementAndGet());
            String z = attempt.call(zero, 1).toJava(String.class);
            assertTrue(z.startsWith("TypeError: ") && z.contains("zero()") && z.contains("0 arguments") && z.contains("1 given"), z);
            String o0 = attempt.call(one).toJava(String.class);
            assertTrue(o0.startsWith("TypeError: ") && o0.contains("one()") && o0.contains("0 given"), o0);
            String o2 = attempt.call(one, 1, 2).toJava(String.class);
            assertTrue(o2.startsWith("TypeError: ") && o2.contains("2 given"), o2);
            String t1 = attempt.call(two, 1).toJava(String.class);
            assertTrue(t1.startsWith("TypeError: ") && t1.contains("two()") && t1.contains("2 arguments"), t1);
            String t3 = attempt.call(two, 1, 2, 3).toJava(String.class);
            assertTrue(t3.startsWith("TypeError: ") && t3.contains("3 given"), t3);
            String kw = attempt.call(args(one), kw("x", 1)).toJava(String.class);
            assertTrue(kw.startsWith("TypeError: ") && kw.contains("keyword"), kw);
            String kw2 = attempt.call(args(two, 1), kw("b", 1)).toJava(String.class);
            assertTrue(kw2.startsWith("TypeError: ") && kw2.contains("keyword"), kw2);
            assertEquals(0, ran.get(), "the body must not run on a wrong call");
            // the right arity works, and the same errors reach a Java caller as PyTypeError
            assertEquals("no error", attempt.call(two, 1, 2).toJava(String.class));
            assertEquals(1, ran.get());
            assertThrows(PyTypeError.class, () -> zero.call(1));
            assertThrows(PyTypeError.class, () -> one.call(args(), kw("x", 1)));
            return null;
        });
    }

    @Test
    void signatureDocAndBinding() {
        Python.attach(py -> {
            List<String> received = new ArrayList<>();
            PyCallable greet = py.function("greet", "name, greeting='Hello', *extra, punctuation='!', **options",
                    "Greets someone.\n\nWith options.", (p, args, kwargs) -> {
                        received.add(args.repr() + " " + kwargs.repr());
                        return args.get(1) + ", " + args.get(0) + args.get(3);
                    });
            PyDict ns = ns(py, String.join("\n",
                    "import inspect",
                    "def describe(f):",
                    "    sig = inspect.signature(f)",
                    "    kinds = [(n, p.kind.name, None if p.default is p.empty else p.default) for n, p in sig.parameters.items()]",
                    "    return (str(sig), kinds, f.__doc__, f.__name__, inspect.getdoc(f))",
                    ""));
            PyObject d = ns.getItem("describe").call(greet);
            assertEquals("(name, greeting='Hello', *extra, punctuation='!', **options)", d.getItem(0).toJava(String.class));
            assertEquals("[('name', 'POSITIONAL_OR_KEYWORD', None), ('greeting', 'POSITIONAL_OR_KEYWORD', 'Hello'),"
                    + " ('extra', 'VAR_POSITIONAL', None), ('punctuation', 'KEYWORD_ONLY', '!'), ('options', 'VAR_KEYWORD', None)]",
                    d.getItem(1).repr());
            assertEquals("Greets someone.\n\nWith options.", d.getItem(2).toJava(String.class));
            assertEquals("greet", d.getItem(3).toJava(String.class));

            // Python binds the arguments; the body gets one positional argument per parameter, in order
            assertEquals("Hello, Ann!", py.eval("lambda f: f('Ann')").call(greet).toJava(String.class));
            assertEquals("('Ann', 'Hello', (), '!', {}) {}", received.get(0));
            assertEquals("Hi, Bob?", py.eval("lambda f: f('Bob', 'Hi', 1, 2, punctuation='?', colour='red')").call(greet)
                    .toJava(String.class));
            assertEquals("('Bob', 'Hi', (1, 2), '?', {'colour': 'red'}) {}", received.get(1));
            assertEquals("Yo, Cy!", py.eval("lambda f: f(greeting='Yo', name='Cy')").call(greet).toJava(String.class));
            assertEquals("('Cy', 'Yo', (), '!', {}) {}", received.get(2));
            assertEquals("Hey, Di.", greet.call(args("Di", "Hey"), kw("punctuation", ".")).toJava(String.class));

            // binding errors are Python's own, and the body does not run
            int before = received.size();
            String err = ns(py, String.join("\n",
                    "def attempt(f):",
                    "    try:",
                    "        f(greeting='x')",
                    "    except TypeError as e:",
                    "        return str(e)",
                    "")).getItem("attempt").call(greet).toJava(String.class);
            assertTrue(err.contains("missing 1 required positional argument: 'name'"), err);
            assertThrows(PyTypeError.class, () -> greet.call(args("a"), kw("name", "b")));
            assertEquals(before, received.size());
            return null;
        });
    }

    @Test
    void signatureKeywordOnlyWithoutDefaultAndNoDoc() {
        Python.attach(py -> {
            PyCallable f = py.function("scale", "x, /, factor=2, *, offset", null,
                    (p, args, kwargs) -> args.get(0).toJava(double.class) * args.get(1).toJava(double.class)
                            + args.get(2).toJava(double.class));
            assertEquals("(x, /, factor=2, *, offset)", py.eval("lambda f: str(__import__('inspect').signature(f))").call(f)
                    .toJava(String.class));
            assertTrue(py.eval("lambda f: f.__doc__").call(f).isNone());
            assertEquals(7.0, py.eval("lambda f: f(3, offset=1)").call(f).toJava(double.class));
            assertEquals(10.0, py.eval("lambda f: f(3, factor=3, offset=1)").call(f).toJava(double.class));
            // positional-only and keyword-only are enforced by Python
            assertThrows(PyTypeError.class, () -> py.eval("lambda f: f(x=3, offset=1)").call(f));
            assertThrows(PyTypeError.class, () -> py.eval("lambda f: f(3, 2, 1)").call(f));
            assertThrows(PyTypeError.class, () -> py.eval("lambda f: f(3)").call(f));
            return null;
        });
    }

    @Test
    void badSignatureIsSyntaxError() {
        Python.attach(py -> {
            assertThrows(PySyntaxError.class, () -> py.function("bad", "a, a=", "doc", (p, a, k) -> null));
            assertThrows(PySyntaxError.class, () -> py.function("bad", "a=1, b", "doc", (p, a, k) -> null));
            return null;
        });
    }

    @Test
    void resultsAreConverted() {
        Python.attach(py -> {
            PyObject check = py.eval("lambda f: repr(f())");
            assertEquals("None", check.call(py.function("n", () -> null)).toJava(String.class));
            assertEquals("True", check.call(py.function("b", () -> true)).toJava(String.class));
            assertEquals("2.5", check.call(py.function("d", () -> 2.5)).toJava(String.class));
            assertEquals("'text'", check.call(py.function("s", () -> "text")).toJava(String.class));
            assertEquals("b'\\x00\\xff'", check.call(py.function("y", () -> new byte[] {0, -1})).toJava(String.class));
            assertEquals("[1, 'a', None]", check.call(py.function("l", () -> java.util.Arrays.asList(1L, "a", null)))
                    .toJava(String.class));
            assertEquals("123456789012345678901234567890",
                    check.call(py.function("big", () -> new java.math.BigInteger("123456789012345678901234567890")))
                            .toJava(String.class));
            return null;
        });
    }

    @Test
    void functionOutlivesItsScopeWhilePythonHoldsIt() {
        AtomicReference<String> seen = new AtomicReference<>();
        Python.attach(py -> {
            PyDict ns = py.dict();
            py.scope(inner -> {
                ns.setItem("cb", inner.function("remember", x -> {
                    seen.set(x.toJava(String.class));
                    return null;
                }));
                return null;
            });
            py.run("cb('later')", ns, null);
            return null;
        });
        assertEquals("later", seen.get());
    }

    /** Whatever Java receives from Python is what Python passed, and what Java returns Python gets. */
    @Property(tries = 50)
    void echoRoundTrip(@ForAll long a, @ForAll String s, @ForAll double d) {
        Python.attach(py -> {
            PyCallable echo = py.function("echo", (p, args, kwargs) -> p.tuple(args.get(0).toJava(long.class),
                    args.get(1).toJava(String.class), kwargs.getItem("d").toJava(double.class)));
            PyObject same = py.eval("lambda f, a, s, d: f(a, s, d=d) == (a, s, d) or (d != d and f(a, s, d=d)[:2] == (a, s))")
                    .call(echo, a, s, d);
            assertTrue(same.isTruthy());
            assertFalse(py.eval("lambda f, a: f(a, '', d=0.0)[0] != a").call(echo, a).isTruthy());
            return null;
        });
    }
}
