package dev.pyjama.facade;

import static dev.pyjama.facade.FacadeTesting.assertCompiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade generator end to end: a Python module's facade compiles cleanly (lint and doclint),
 * and Java code calling it gets the values Python computed; what cannot be typed is a warning and
 * a PyObject-typed method, never a failure; a breaking change in Python is a javac error.
 */
class FacadeGeneratorTest {

    @TempDir
    Path tmp;

    private static String resource(String name) throws IOException {
        try (InputStream in = FacadeGeneratorTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void generatedFacadeCompilesCleanlyAndCallsPython() throws Exception {
        String module = FacadeTesting.uniqueModule("shop");
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = FacadeTesting.facade(tmp.resolve("py"), module, resource("shop.py"), "gen.shop", warnings);
        String moduleClass = files.keySet().stream().filter(k -> k.startsWith("Shop")).findFirst().orElseThrow();
        assertTrue(files.keySet().containsAll(List.of("Item", "Color", "Point", "Stock", "Cart", "Box")), files.keySet().toString());
        String caller = """
                package gen.use;

                import dev.pyjama.Python;
                import gen.shop.*;
                import java.util.ArrayList;
                import java.util.Iterator;
                import java.util.List;
                import java.util.Set;

                /** Calls the facade. */
                public final class Caller {
                    private Caller() {}

                    /**
                     * Runs the calls.
                     *
                     * @return what they returned
                     */
                    public static Object run() {
                        try (Python py = Python.attach()) {
                            List<Object> out = new ArrayList<>();
                            out.add(M.price(py, 100.0, 0.5));
                            out.add(M.price(py, 100.0, 0.5, "USD", null));
                            out.add(M.countWords(py, "a b a"));
                            Iterator<Long> it = M.squares(py, 4);
                            List<Long> sq = new ArrayList<>();
                            it.forEachRemaining(sq::add);
                            out.add(sq);
                            out.add(M.apply(py, x -> "n" + x, 7));
                            out.add(M.first(py, String.class, List.of("x", "y")));
                            out.add(M.maybe(py, true));
                            out.add(M.maybe(py, false));
                            Item item = M.makeItem(py, "pen", 2.5);
                            out.add(item);
                            out.add(M.paint(py, item, Color.GREEN).color());
                            Cart c = Cart.create(py, "ann");
                            c.add(item, 3);
                            out.add(c.size());
                            out.add(c.total(0.1, Cart.Rounding.UP));
                            List<String> names = new ArrayList<>();
                            c.names().forEachRemaining(names::add);
                            out.add(names);
                            out.add(Cart.tax(py, 10.0));
                            Box<Long> b = Box.create(py, Long.class, 5L);
                            b.put(6L);
                            out.add(b.get());
                            out.add(M.sized(py, new byte[3], List.of(1L, 2L), Set.of("a")));
                            out.add(new Point(1, 2, java.util.Optional.of("p")).toPython(py).repr());
                            out.add(M.origin(py));
                            out.add(new Stock("x", 2).toPython(py).repr());
                            return out.toString();
                        }
                    }
                }
                """.replace("M.", moduleClass + ".");
        FacadeTesting.Compiled c = FacadeTesting.compile(tmp, "gen.shop", files, Map.of("gen.use.Caller", caller));
        assertCompiles(c);
        assertEquals("[150.0, 150.0, {a=2, b=1}, [0, 1, 4, 9], n7, x, Optional[1], Optional.empty, "
                + "Item[name=pen, price=2.5, tags=[], color=RED], GREEN, 3, 7.0, [pen, pen, pen], 2.0, 6, [3, 2, 1], "
                + "Point(x=1.0, y=2.0, label='p'), Point[x=0.0, y=0.0, label=Optional.empty], {'name': 'x', 'count': 2}]", FacadeTesting.run(c.classes(), "gen.use.Caller"));
    }

    @Test
    void untypeableSignaturesAreWarningsAndPyObjectMethods() {
        String module = FacadeTesting.uniqueModule("loose");
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = FacadeTesting.facade(tmp.resolve("py"), module, """
                def untyped(a, b=2):
                    return a

                def either(x: int | str) -> int | str:
                    return x

                def rest(*args: int, **kw: str) -> int:
                    return len(args)

                def broken(x: 'NoSuchType') -> int:
                    return 1

                native = len  # a builtin: signature from its text signature

                def gen(n: int):
                    yield n
                """, "gen.loose", warnings);
        String src = files.values().iterator().next();
        assertTrue(src.contains("public static PyObject untyped(Python py, Object a, Object b)"), src);
        assertTrue(src.contains("public static PyObject untyped(Python py, Object a)"), "b has a default: " + src);
        assertTrue(src.contains("public static PyObject either(Python py, Object x)"), src);
        assertTrue(src.contains("public static long rest(Python py)"), src);
        assertTrue(src.contains("public static long broken(Python py, Object x)"), src);
        assertTrue(src.contains("public static PyObject native_(Python py, Object obj)"), src);
        assertTrue(src.contains("public static Iterator<PyObject> gen(Python py, long n)"), "an unhinted generator: " + src);
        String all = String.join("\n", warnings);
        assertTrue(all.contains(module + ".untyped: parameter a: no type hint"), all);
        assertTrue(all.contains(module + ".either: parameter x: a Union of 2 types"), all);
        assertTrue(all.contains(module + ".rest: *args is not exposed"), all);
        assertTrue(all.contains(module + ".rest: **kw is not exposed"), all);
        assertTrue(all.contains(module + ".broken: type hints could not be evaluated"), all);
        assertTrue(all.contains(module + ".broken: parameter x: unresolved forward reference 'NoSuchType'"), all);
        assertTrue(all.contains(module + ".native: parameter obj: no type hint"), "a builtin has no hints: " + all);
        assertTrue(all.contains(module + ".gen: result: no type hint (a generator); typed Iterator<PyObject>"), all);
        assertCompiles(FacadeTesting.compile(tmp, "gen.loose", files, Map.of()));
    }

    @Test
    void aBreakingPythonChangeIsAJavacErrorInTheCaller() {
        String module = FacadeTesting.uniqueModule("pricing");
        String cls = dev.pyjama.internal.facade.FacadeGenerator.moduleClassName(module);
        String caller = """
                package gen.use;

                import dev.pyjama.Python;

                /** A caller of the facade. */
                public final class PriceCaller {
                    private PriceCaller() {}

                    /**
                     * Calls it.
                     *
                     * @param py the token
                     * @return the price
                     */
                    public static double call(Python py) {
                        return gen.pricing.%s.price(py, 100.0, 0.2);
                    }
                }
                """.formatted(cls);
        String v1 = "def price(base: float, rate: float) -> float:\n    return base * (1 + rate)\n";
        var ok = FacadeTesting.compile(tmp.resolve("v1"), "gen.pricing",
                FacadeTesting.facade(tmp.resolve("py1"), module, v1, "gen.pricing", new ArrayList<>()),
                Map.of("gen.use.PriceCaller", caller));
        assertCompiles(ok);

        String renamed = "def cost(base: float, rate: float) -> float:\n    return base * (1 + rate)\n";
        var r = FacadeTesting.compile(tmp.resolve("v2"), "gen.pricing",
                FacadeTesting.facade(tmp.resolve("py2"), module, renamed, "gen.pricing", new ArrayList<>()),
                Map.of("gen.use.PriceCaller", caller));
        assertFalse(r.ok(), "a renamed function must break the caller");
        assertTrue(r.diagnostics().contains("PriceCaller.java") && r.diagnostics().contains("price"), r.diagnostics());

        String retyped = "def price(base: str, rate: float) -> float:\n    return 1.0\n";
        var t = FacadeTesting.compile(tmp.resolve("v3"), "gen.pricing",
                FacadeTesting.facade(tmp.resolve("py3"), module, retyped, "gen.pricing", new ArrayList<>()),
                Map.of("gen.use.PriceCaller", caller));
        assertFalse(t.ok(), "a parameter now a str must break the caller passing a double");
        assertTrue(t.diagnostics().contains("PriceCaller.java"), t.diagnostics());
    }

    @Test
    void aStubShippedBesideTheModuleTypesIt() throws Exception {
        String module = FacadeTesting.uniqueModule("stubbed");
        Path dir = tmp.resolve("py");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve(module + ".pyi"), "def scale(x: float, k: int = ...) -> float: ...\n");
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = FacadeTesting.facade(dir, module, "def scale(x, k=2):\n    return x * k\n",
                "gen.stubbed", warnings);
        String src = files.values().iterator().next();
        assertTrue(src.contains("public static double scale(Python py, double x, long k)"), src);
        assertTrue(src.contains("public static double scale(Python py, double x)"), src);
        assertTrue(warnings.isEmpty(), warnings.toString());
    }
}
