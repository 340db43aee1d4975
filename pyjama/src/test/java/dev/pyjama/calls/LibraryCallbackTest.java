package dev.pyjama.calls;

import static dev.pyjama.Kwargs.args;
import static dev.pyjama.Kwargs.kw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyModuleNotFoundError;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Java functions passed to Python code that calls them back: builtins, functools, scipy. */
class LibraryCallbackTest {

    @Test
    void sortedWithJavaKey() {
        Python.attach(py -> {
            AtomicInteger calls = new AtomicInteger();
            PyCallable length = py.function("length", s -> {
                calls.incrementAndGet();
                return s.toJava(String.class).length();
            });
            PyObject xs = py.eval("['ccc', 'a', 'dddd', 'bb', '']");
            PyObject sorted = py.builtins().getAttr("sorted").call(args(xs), kw("key", length));
            assertEquals(List.of("", "a", "bb", "ccc", "dddd"), sorted.toJava(List.class));
            assertEquals(5, calls.get(), "sorted calls key once per item");
            // in Python code, with reverse=True too
            assertEquals("['dddd', 'ccc', 'bb', 'a', '']",
                    py.eval("lambda xs, k: repr(sorted(xs, key=k, reverse=True))").call(xs, length).toJava(String.class));
            // min/max with key
            assertEquals("dddd", py.eval("lambda xs, k: max(xs, key=k)").call(xs, length).toJava(String.class));
            return null;
        });
    }

    @Test
    void mapAndFilterWithJavaFunctions() {
        Python.attach(py -> {
            PyCallable square = py.function("square", x -> x.toJava(long.class) * x.toJava(long.class));
            PyCallable even = py.function("even", x -> x.toJava(long.class) % 2 == 0);
            assertEquals("[0, 1, 4, 9, 16]", py.eval("lambda f: repr(list(map(f, range(5))))").call(square).toJava(String.class));
            assertEquals("[0, 4, 16]", py.eval("lambda f, p: repr([x for x in map(f, range(5)) if p(x)])").call(square, even)
                    .toJava(String.class));
            assertEquals("[0, 2, 4]", py.eval("lambda p: repr(list(filter(p, range(5))))").call(even).toJava(String.class));
            PyCallable add = py.function("add", (a, b) -> a.toJava(long.class) + b.toJava(long.class));
            assertEquals("[11, 22, 33]", py.eval("lambda f: repr(list(map(f, [1, 2, 3], [10, 20, 30])))").call(add)
                    .toJava(String.class));
            return null;
        });
    }

    @Test
    void functoolsReduceWithJavaBiFunction() {
        Python.attach(py -> {
            PyObject reduce = py.importModule("functools").getAttr("reduce");
            PyCallable multiply = py.function("multiply", (a, b) -> a.times(b));
            // 30! does not fit a long: the Python objects are combined as Python ints
            assertEquals("265252859812191058636308480000000",
                    reduce.call(multiply, py.eval("range(1, 31)")).str());
            PyCallable concat = py.function("concat", (a, b) -> a.toJava(String.class) + b.toJava(String.class));
            assertEquals("abc", reduce.call(concat, py.eval("['a', 'b', 'c']")).toJava(String.class));
            assertEquals("zabc", reduce.call(concat, py.eval("['a', 'b', 'c']"), "z").toJava(String.class));
            // and combined with sorted(key=...) in one Python expression
            PyCallable negate = py.function("negate", x -> -x.toJava(long.class));
            PyCallable pair = py.function("pair", (a, b) -> a.toJava(long.class) * 10 + b.toJava(long.class));
            assertEquals(54321L, py.eval("lambda k, f: __import__('functools').reduce(f, sorted([3, 1, 5, 2, 4], key=k))")
                    .call(negate, pair).toJava(long.class));
            return null;
        });
    }

    @Test
    void scipyMinimizeWithJavaObjective() {
        Python.attach(py -> {
            PyObject optimize;
            try {
                optimize = py.importModule("scipy.optimize");
            } catch (PyModuleNotFoundError e) {
                assumeTrue(false, "scipy is not installed in this interpreter");
                return null;
            }
            AtomicInteger evaluations = new AtomicInteger();
            // x arrives as a numpy array of one element
            PyCallable objective = py.function("objective", x -> {
                evaluations.incrementAndGet();
                double v = x.getItem(0).toJava(double.class);
                return (v - 3) * (v - 3) + 1;
            });
            PyObject result = optimize.getAttr("minimize").call(args(objective, py.list(0.0)), kw("method", "BFGS"));
            assertTrue(result.getAttr("success").isTruthy(), result.repr());
            assertEquals(3.0, result.getAttr("x").getItem(0).toJava(double.class), 1e-4);
            assertEquals(1.0, result.getAttr("fun").toJava(double.class), 1e-8);
            assertTrue(evaluations.get() >= 3, "the objective was called " + evaluations.get() + " times");
            assertEquals(evaluations.get(), result.getAttr("nfev").toJava(int.class));

            // a Java objective and a Java gradient, with another method
            PyCallable f2 = py.function("f2", "x, a", null, (p, a, k) -> {
                double x0 = a.get(0).getItem(0).toJava(double.class);
                double x1 = a.get(0).getItem(1).toJava(double.class);
                double shift = a.get(1).toJava(double.class);
                return (x0 - shift) * (x0 - shift) + 2 * (x1 + 1) * (x1 + 1);
            });
            PyObject r2 = optimize.getAttr("minimize").call(args(f2, py.list(0.0, 0.0)),
                    kw("args", py.tuple(-2.5)).and("method", "Nelder-Mead").and("options", py.eval("{'xatol': 1e-8, 'fatol': 1e-10}")));
            assertEquals(-2.5, r2.getAttr("x").getItem(0).toJava(double.class), 1e-4);
            assertEquals(-1.0, r2.getAttr("x").getItem(1).toJava(double.class), 1e-4);
            return null;
        });
    }
}
