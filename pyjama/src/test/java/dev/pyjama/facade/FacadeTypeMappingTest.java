package dev.pyjama.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.internal.facade.FacadeGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The type mapping, over generated hints: a Python function {@code f(x: H) -> H} for a random hint
 * {@code H} (scalars, list, set, dict, Optional in both spellings, nested) becomes
 * {@code static R f(Python py, P x)} with the Java types of pyjama's conversion table: the
 * parameter nullable where the hint is Optional, the result an {@code Optional}.
 */
class FacadeTypeMappingTest {

    /**
     * A hint as Python writes it and the Java types it must become.
     *
     * @param python the hint's source
     * @param param the parameter type
     * @param result the result type
     * @param paramBoxed the parameter type as a generic argument (Optional: nullable)
     * @param resultBoxed the result type as a generic argument
     */
    record Hint(String python, String param, String result, String paramBoxed, String resultBoxed) {}

    private static final Hint INT = new Hint("int", "long", "long", "Long", "Long");
    private static final Hint FLOAT = new Hint("float", "double", "double", "Double", "Double");
    private static final Hint STR = new Hint("str", "String", "String", "String", "String");
    private static final Hint BYTES = new Hint("bytes", "byte[]", "byte[]", "byte[]", "byte[]");
    private static final Hint BOOL = new Hint("bool", "boolean", "boolean", "Boolean", "Boolean");

    @Provide
    Arbitrary<Hint> hints() {
        return hint(3);
    }

    private static Arbitrary<Hint> hint(int depth) {
        Arbitrary<Hint> scalar = Arbitraries.of(INT, FLOAT, STR, BYTES, BOOL);
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<Hint> inner = Arbitraries.lazy(() -> hint(depth - 1));
        Arbitrary<Hint> hashable = Arbitraries.of(INT, STR, BOOL, FLOAT);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar),
                net.jqwik.api.Tuple.of(2, inner.map(h -> generic("list", "List", h))),
                net.jqwik.api.Tuple.of(1, hashable.map(h -> generic("set", "Set", h))),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(hashable, inner).as((k, v) -> {
                    String p = "Map<" + k.paramBoxed() + ", " + v.paramBoxed() + ">";
                    String r = "Map<" + k.resultBoxed() + ", " + v.resultBoxed() + ">";
                    return new Hint("dict[" + k.python() + ", " + v.python() + "]", p, r, p, r);
                })),
                // Optional: a nullable parameter (null is None), an Optional result; of a non-Optional
                // hint only, as Python collapses Optional[Optional[X]] to Optional[X]
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(
                        inner.filter(h -> !h.resultBoxed().startsWith("Optional<")), Arbitraries.of(true, false)).as((h, pep604) ->
                        new Hint(pep604 ? h.python() + " | None" : "Optional[" + h.python() + "]", h.paramBoxed(),
                                "Optional<" + h.resultBoxed() + ">", h.paramBoxed(), "Optional<" + h.resultBoxed() + ">"))));
    }

    private static Hint generic(String py, String java, Hint h) {
        String p = java + "<" + h.paramBoxed() + ">";
        String r = java + "<" + h.resultBoxed() + ">";
        return new Hint(py + "[" + h.python() + "]", p, r, p, r);
    }

    @Property(tries = 40)
    void hintsBecomeTheTableJavaTypes(@ForAll("hints") Hint hint) throws Exception {
        Path dir = Files.createTempDirectory("pyjama-facade-mapping");
        try {
            String module = FacadeTesting.uniqueModule("hints");
            String source = "from typing import Optional\n\ndef f(x: " + hint.python() + ") -> " + hint.python() + ":\n    return x\n";
            List<String> warnings = new ArrayList<>();
            Map<String, String> files = FacadeTesting.facade(dir, module, source, "gen.hints", warnings);
            String src = files.get(FacadeGenerator.moduleClassName(module));
            String expected = "public static " + hint.result() + " f(Python py, " + hint.param() + " x)";
            assertTrue(src.contains(expected), hint + ": expected " + expected + " in\n" + src);
            assertTrue(warnings.isEmpty(), hint + ": " + warnings);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A callback parameter type: its hint, its Java type, the value Python passes, as Java prints it. */
    record Arg(String python, String java, String pyValue, String printed) {}

    @Provide
    Arbitrary<List<Arg>> args() {
        return Arbitraries.of(new Arg("int", "Long", "7", "7"), new Arg("str", "String", "'s'", "s"),
                new Arg("float", "Double", "2.5", "2.5"), new Arg("bool", "Boolean", "True", "true")).list().ofMaxSize(6);
    }

    /**
     * {@code Callable[[A1..An], str]} of any arity: the Java type is Supplier, Function, BiFunction
     * or the facade's own FunctionN, a Java lambda of n parameters compiles against it, and Python
     * calls it with n arguments converted to their Java types.
     */
    @Property(tries = 6)
    void callbacksOfAnyArityTakeALambda(@ForAll("args") List<Arg> params) throws Exception {
        Path dir = Files.createTempDirectory("pyjama-facade-callables");
        try {
            int n = params.size();
            String module = FacadeTesting.uniqueModule("callbacks");
            List<String> hints = params.stream().map(Arg::python).toList();
            List<String> values = params.stream().map(Arg::pyValue).toList();
            String source = "from typing import Callable\n\ndef f(cb: Callable[[" + String.join(", ", hints) + "], str]) -> str:\n"
                    + "    return cb(" + String.join(", ", values) + ")\n";
            List<String> warnings = new ArrayList<>();
            Map<String, String> files = FacadeTesting.facade(dir.resolve("py"), module, source, "gen.callbacks", warnings);
            String cls = FacadeGenerator.moduleClassName(module);
            String types = String.join(", ", params.stream().map(Arg::java).toList());
            String expected = switch (n) {
                case 0 -> "Supplier<String>";
                case 1 -> "Function<" + types + ", String>";
                case 2 -> "BiFunction<" + types + ", String>";
                default -> "Function" + n + "<" + types + ", String>";
            };
            String src = files.get(cls);
            assertTrue(src.contains("public static String f(Python py, " + expected + " cb)"), expected + " in\n" + src);
            assertTrue(warnings.isEmpty(), warnings.toString());
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                names.add("a" + i);
            }
            String body = n == 0 ? "\"\"" : "\"\" + " + String.join(" + \"|\" + ", names);
            String caller = """
                    package gen.use;

                    import dev.pyjama.Python;

                    /** Passes a lambda. */
                    public final class Caller {
                        private Caller() {}

                        /**
                         * Runs the call.
                         *
                         * @return what Python returned
                         */
                        public static Object run() {
                            return Python.attach(py -> gen.callbacks.%s.f(py, (%s) -> %s));
                        }
                    }
                    """.formatted(cls, String.join(", ", names), body);
            FacadeTesting.Compiled c = FacadeTesting.compile(dir, "gen.callbacks", files, Map.of("gen.use.Caller", caller));
            FacadeTesting.assertCompiles(c);
            assertEquals(String.join("|", params.stream().map(Arg::printed).toList()), FacadeTesting.run(c.classes(), "gen.use.Caller"));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
