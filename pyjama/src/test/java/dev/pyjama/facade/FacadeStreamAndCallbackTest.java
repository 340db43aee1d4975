package dev.pyjama.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.internal.facade.FacadeGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iterator and generator results as lazy Streams (closing the Python iterator, not holding the
 * GIL between elements), and callbacks of three and more parameters as generated functional
 * interfaces, through the generator, javac and a real CPython.
 */
class FacadeStreamAndCallbackTest {

    @TempDir
    Path tmp;

    private static final String MODULE = """
            from typing import Callable, Generator, Iterable, Iterator

            log = []

            class Holder:
                def __init__(self, n: int) -> None:
                    self.n = n

                def upto(self) -> Iterator[int]:
                    return iter(range(self.n))

            def count(n: int) -> Iterator[int]:
                try:
                    for i in range(n):
                        yield i
                finally:
                    log.append("closed %d" % n)

            def words(s: str) -> Iterable[str]:
                return s.split()

            def halves(n: int) -> Generator[float, None, None]:
                for i in range(n):
                    yield i / 2

            def boom() -> Iterator[int]:
                try:
                    yield 1
                    raise ValueError("boom")
                finally:
                    log.append("boom closed")

            def holders(n: int) -> Iterator[Holder]:
                return (Holder(i) for i in range(n))

            def events() -> list[str]:
                return list(log)

            def fold3(f: Callable[[int, str, float], str]) -> str:
                return f(1, "b", 2.5)

            def fold4(f: Callable[[int, int, int, int], int]) -> int:
                return f(1, 2, 3, 4)

            def each3(f: Callable[[str, str, str], None]) -> None:
                f("x", "y", "z")

            def pair(f: Callable[[str, int], None]) -> None:
                f("k", 2)

            def arity(f: Callable[[int, int, int], int]) -> str:
                try:
                    f(1, 2)
                    return "called"
                except TypeError:
                    return "TypeError"
            """;

    private static final String CALLER = """
            package gen.use;

            import dev.pyjama.Python;
            import dev.pyjama.exceptions.PyValueError;
            import gen.streams.*;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.stream.Stream;

            /** Calls the facade. */
            public final class Caller {
                private Caller() {}

                /** Another thread runs Python and is waited for: a deadlock if this thread held the GIL. */
                private static void otherThreadRunsPython() {
                    Thread t = Thread.ofPlatform().daemon().start(() -> Python.attach(p -> p.eval("1 + 1")));
                    try {
                        t.join(120_000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    if (t.isAlive()) {
                        throw new IllegalStateException("the stream held the GIL while its consumer ran");
                    }
                }

                /**
                 * Runs the calls.
                 *
                 * @return what they returned
                 */
                public static Object run() {
                    List<Object> out = new ArrayList<>();
                    Stream<Long> detached;
                    try (Python py = Python.attach()) {
                        detached = M.countStream(py, 3);
                    }
                    List<Long> got = new ArrayList<>();
                    try (Stream<Long> s = detached) {
                        s.forEach(x -> {
                            got.add(x);
                            otherThreadRunsPython();
                        });
                    }
                    out.add(got);
                    Stream<String> elsewhere;
                    try (Python py = Python.attach()) {
                        elsewhere = M.wordsStream(py, "made here read there");
                    }
                    List<List<String>> read = new ArrayList<>();
                    Thread reader = Thread.ofPlatform().start(() -> {
                        try (Stream<String> s = elsewhere) {
                            read.add(s.toList());
                        }
                    });
                    try {
                        reader.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    out.add(read);
                    try (Python py = Python.attach()) {
                        out.add(M.events(py));
                        try (Stream<Long> s = M.countStream(py, 100)) {
                            out.add(s.limit(2).toList());
                            out.add(M.events(py).size());
                        }
                        out.add(M.events(py));
                        out.add(M.wordsStream(py, "a b c").map(String::toUpperCase).toList());
                        out.add(M.halvesStream(py, 3).toList());
                        out.add(M.countStream(py, 2).toList());
                        out.add(M.events(py).get(M.events(py).size() - 1));
                        try {
                            M.boomStream(py).toList();
                        } catch (PyValueError e) {
                            out.add("ValueError " + M.events(py).get(M.events(py).size() - 1));
                        }
                        out.add(Holder.create(py, 3).uptoStream().toList());
                        List<Long> it = new ArrayList<>();
                        M.count(py, 2).forEachRemaining(it::add);
                        out.add(it);
                        out.add(M.fold3(py, (a, b, c) -> a + b + c));
                        out.add(M.fold4(py, (a, b, c, d) -> a * 1000 + b * 100 + c * 10 + d));
                        StringBuilder sb = new StringBuilder();
                        M.each3(py, (a, b, c) -> sb.append(a).append(b).append(c));
                        M.pair(py, (k, v) -> sb.append(k).append(v));
                        out.add(sb.toString());
                        out.add(M.arity(py, (a, b, c) -> a + b + c));
                    }
                    return out.toString();
                }
            }
            """;

    @Test
    void iteratorResultsStreamAndCallbacksOfThreeOrMoreParametersTakeLambdas() throws Exception {
        String module = FacadeTesting.uniqueModule("streams");
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = FacadeTesting.facade(tmp.resolve("py"), module, MODULE, "gen.streams", warnings);
        String cls = FacadeGenerator.moduleClassName(module);
        String src = files.get(cls);
        assertTrue(src.contains("public static Stream<Long> countStream(Python py, long n)"), src);
        assertTrue(src.contains("public static Iterator<Long> count(Python py, long n)"), "the Iterator form stays: " + src);
        assertTrue(src.contains("public static Stream<Double> halvesStream(Python py, long n)"), src);
        assertTrue(src.contains("public static String fold3(Python py, Function3<Long, String, Double, String> f)"), src);
        assertTrue(src.contains("public static void each3(Python py, Consumer3<String, String, String> f)"), src);
        assertTrue(src.contains("public static void pair(Python py, BiConsumer<String, Long> f)"), src);
        assertFalse(src.contains("holdersStream"), "a wrapper lives in a scope: no Stream of it: " + src);
        assertTrue(files.containsKey("Function3") && files.containsKey("Function4") && files.containsKey("Consumer3"),
                files.keySet().toString());
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals("[[0, 1, 2], [[made, here, read, there]], [closed 3], [0, 1], 1, [closed 3, closed 100], [A, B, C], [0.0, 0.5, 1.0], [0, 1],"
                + " closed 2, ValueError boom closed, [0, 1, 2], [0, 1], 1b2.5, 1234, xyzk2, TypeError]",
                FacadeTesting.compileAndRunCaller(tmp, "gen.streams", files, cls, CALLER));
    }
}
