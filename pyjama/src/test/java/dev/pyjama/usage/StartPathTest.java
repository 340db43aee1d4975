package dev.pyjama.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import dev.pyjama.testing.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fresh JVM loads between its start and its first Python result, read from the JVM's own
 * class-loading log (no timing): the costs start-up time is made of, counted, so that a change that
 * brings one back fails here rather than in a benchmark nobody ran. Each downcall shape is a stub
 * class the JDK generates and loads (some 5 ms), each lambda a class it spins, and the generated
 * bindings' main class is some 15,000 lines.
 */
class StartPathTest {

    /**
     * The shapes the start path links: the four ordinary word-form arities and the critical
     * no-argument one (the attach asks for the current thread state). One more where reference
     * counts are not changed in Java (portable mode, 3.14, free-threaded builds): the critical
     * one-argument shape of {@code Py_IncRef}.
     */
    private static int maxDownCallStubs() {
        boolean inJava = dev.pyjama.Python.attach(py -> dev.pyjama.internal.runtime.Interpreter.get().profile().inlineRefCounts());
        return inJava ? 5 : 6;
    }

    /** Starts Python, evaluates 1+1, then loads {@link AfterFirstResult}, whose log line marks the moment. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            // An anonymous class rather than a lambda: the test counts lambda classes.
            long v = Python.attach(new Function<Python, Long>() {
                @Override
                public Long apply(Python py) {
                    return py.eval("1+1").toJava(long.class);
                }
            });
            Class.forName(AfterFirstResult.class.getName());
            System.out.println("result=" + v);
        }
    }

    /** Loaded right after the first result; never used otherwise. */
    public static final class AfterFirstResult {
        private AfterFirstResult() {}
    }

    @Test
    void theFirstResultLinksFewDowncallShapesSpinsNoLambdaAndLeavesTheBindingsUnloaded(@TempDir Path dir)
            throws IOException {
        Path log = dir.resolve("classes.log");
        ForkedJvm jvm = ForkedJvm.of(Main.class)
                .env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log)
                .timeout(60)
                .withPythonUnderTest();
        ForkedJvm.Result r = jvm.run();
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("2", r.value("result"), r::describe);

        List<String> lines = Files.readAllLines(log);
        int marker = -1;
        for (int i = 0; i < lines.size() && marker < 0; i++) {
            if (lines.get(i).contains(AfterFirstResult.class.getName())) {
                marker = i;
            }
        }
        assertTrue(marker > 0, "the class-loading log has no line for the marker class");
        List<String> beforeResult = lines.subList(0, marker);
        long stubs = beforeResult.stream().filter(l -> l.contains("jdk.internal.foreign.abi.DowncallStub")).count();
        List<String> lambdas = beforeResult.stream()
                .filter(l -> l.contains(" dev.pyjama.") && l.contains("$$Lambda")).toList();
        List<String> bindings = beforeResult.stream().filter(l -> l.contains(" dev.pyjama.ffi.")).toList();
        System.out.println("[StartPathTest] before the first result: " + stubs + " downcall stubs, "
                + lambdas.size() + " pyjama lambda classes, " + bindings.size() + " bindings classes, "
                + beforeResult.stream().filter(l -> l.contains(" dev.pyjama.")).count() + " pyjama classes");
        int max = maxDownCallStubs();
        assertTrue(stubs <= max, stubs + " downcall shapes linked before the first result (at most "
                + max + "): a call on the start path has a C signature of its own (see internal.abi.Native)");
        assertEquals(List.of(), lambdas, "lambda classes spun on the start path");
        assertEquals(List.of(), bindings, "generated bindings loaded on the start path (see internal.abi.Native)");
    }
}
