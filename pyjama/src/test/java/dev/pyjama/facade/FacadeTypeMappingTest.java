package dev.pyjama.facade;

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
}
