package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyImportError;
import dev.pyjama.exceptions.PyModuleNotFoundError;
import dev.pyjama.exceptions.PySystemExit;
import dev.pyjama.exceptions.PyValueError;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile and broken input gives exceptions, never crashes: a few hundred jqwik-generated strings
 * (arbitrary unicode with lone surrogates and NUL, Python-ish token soup, huge numeric and string
 * literals) through {@code eval} and {@code run}, on the main thread and on a 256 KiB thread; a
 * module that raises at import; a "C extension" that is garbage bytes, a truncated ELF file, or a
 * real shared library that is not a Python module.
 *
 * <p>The property checked for each string: {@code eval}/{@code run} returns, or throws a
 * {@link PyBaseException} or {@link IllegalArgumentException}; and the interpreter still works.
 * jqwik generates the strings in the test JVM; the forked child runs them (a crash must not take
 * the test run down).
 */
class HostileInputTest {

    static final int TRIES_PER_GENERATOR = 100;

    static List<String> generate() {
        String tokens = "()[]{}:;,.'\"\\\n\t #+-*/%@=<>!~^&|0123456789abcdefxyzjJeE_ \u0000\u00e9\u4e2d\ud800\udc00";
        List<Arbitrary<String>> generators = List.of(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars(tokens.toCharArray()).ofMaxLength(60),
                Arbitraries.of("lambda", "yield", "await", "async", "def", "class", "if", "else", "for", "in", "not",
                        "import", "from", "as", "with", "try", "except", "(", ")", "[", "]", "{", "}", ":", ",", "=",
                        "**", "*", "1", "0x", "1e999", "'", "f'", "{x}", "\\", "\n", " ", "\t", "\u0000", "\ud800",
                        "b'", "r'", "\"\"\"", "#", "@", "->", ":=", "...", "None", "__import__", "print")
                        .list().ofMaxSize(30).map(l -> String.join("", l)),
                Combinators.combine(Arbitraries.of("9", "1", "0x", "0b1", "0o7", "1e", "1.", "'a", "b'\\x00", "\"\\u",
                        "1_", "-", "~", "(", "["), Arbitraries.of("9", "f", "0", "1", "_1", "a", "\\x00", "\ud800"),
                        Arbitraries.integers().between(1_000, 120_000))
                        .as((prefix, unit, n) -> prefix + unit.repeat(n / unit.length())));
        List<String> all = new ArrayList<>();
        for (Arbitrary<String> g : generators) {
            g.sampleStream().limit(TRIES_PER_GENERATOR).forEach(all::add);
        }
        all.addAll(List.of("9".repeat(100_000), "1" + "0".repeat(100_000) + "j", "0x" + "f".repeat(200_000),
                "'" + "\u0000".repeat(1000) + "'", "\ud800", "'\udfff'", "b'\\xff'.decode()", "\u0000", "1\u00002",
                "'\\N{NO SUCH NAME}'", "f'{'", "f'{1:{2:{3}}}'", "\"\\" + "\n".repeat(10), "#" + "\ud800".repeat(100),
                "(" .repeat(199) + ")".repeat(199), "[".repeat(1000), "1" + "if 1 else 1".repeat(5000)));
        return all;
    }

    static Path write(List<String> inputs) {
        try {
            Path file = Files.createTempFile("pyjama-hostile", ".bin");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
                out.writeInt(inputs.size());
                for (String s : inputs) {
                    out.writeInt(s.length());
                    out.writeChars(s);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int n = in.readInt();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                char[] c = new char[in.readInt()];
                for (int j = 0; j < c.length; j++) {
                    c[j] = in.readChar();
                }
                out.add(new String(c));
            }
            return out;
        }
    }

    static String show(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : (s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s).toCharArray()) {
            b.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }

    public static final class Cases implements ScenarioSet {

        static void property(Python py, String code, List<String> violations) {
            for (int mode = 0; mode < 2; mode++) {
                try {
                    if (mode == 0) {
                        PyObject r = py.scope(in -> {
                            PyObject v = in.eval(code);
                            v.toString(); // never throws
                            return null;
                        });
                    } else {
                        py.scope(in -> {
                            in.run(code);
                            return null;
                        });
                    }
                } catch (PyBaseException | IllegalArgumentException expected) {
                    // fine
                } catch (Throwable t) {
                    violations.add((mode == 0 ? "eval" : "run") + "(" + show(code) + ") threw " + t);
                }
            }
        }

        static void runAll(String kind) throws Exception {
            List<String> inputs = read(Path.of(System.getProperty("hostile.file")));
            List<String> violations = new ArrayList<>();
            ThreadKinds.attachOn(kind, py -> {
                py.run("import warnings\nwarnings.simplefilter('ignore')");
                for (int i = 0; i < inputs.size(); i++) {
                    String code = inputs.get(i);
                    if (kind.equals("small")) { // names the input if the child dies on it
                        System.out.println("trying #" + i + ": " + show(code));
                        System.out.flush();
                    }
                    property(py, code, violations);
                    if (py.eval("1 + 1").toJava(long.class) != 2) {
                        violations.add("interpreter broken after " + show(code));
                    }
                }
                return null;
            });
            System.out.println("hostile inputs on " + kind + ": " + inputs.size());
            if (!violations.isEmpty()) {
                fail(violations.size() + " violations:\n" + String.join("\n", violations));
            }
        }

        static Path tempModuleDir() throws IOException {
            Path dir = Files.createTempDirectory("pyjama-mods");
            Python.attach(py -> {
                py.importModule("sys").getAttr("path").callMethod("insert", 0, dir.toString());
                return null;
            });
            return dir;
        }

        @Override
        public Map<String, Body> scenarios() {
            return new Builder()
                    .add("generated-eval-run-main", () -> runAll("main"))
                    .add("module-raising-at-import", () -> {
                        Path dir = tempModuleDir();
                        Files.writeString(dir.resolve("raises_value.py"), "X = 1\nraise ValueError('import went wrong')\n");
                        Files.writeString(dir.resolve("raises_exit.py"), "import sys\nsys.exit(2)\n");
                        Files.writeString(dir.resolve("raises_syntax.py"), "def (:\n");
                        Files.writeString(dir.resolve("raises_import.py"), "import no_such_module_pyjama\n");
                        Python.attach(py -> {
                            for (int i = 0; i < 2; i++) { // the failed module is not cached: raises again
                                PyValueError e = assertThrows(PyValueError.class, () -> py.importModule("raises_value"));
                                assertTrue(e.getMessage().contains("import went wrong"), e.getMessage());
                            }
                            assertThrows(PySystemExit.class, () -> py.importModule("raises_exit"));
                            PyBaseException s = assertThrows(PyBaseException.class, () -> py.importModule("raises_syntax"));
                            assertEquals("SyntaxError", s.pythonTypeName());
                            assertThrows(PyModuleNotFoundError.class, () -> py.importModule("raises_import"));
                            assertTrue(!py.eval("'raises_value' in __import__('sys').modules").toJava(boolean.class));
                            assertEquals(2L, py.eval("1 + 1").toJava(long.class));
                            return null;
                        });
                    })
                    .add("broken-c-extensions", () -> {
                        Path dir = tempModuleDir();
                        String suffix = Python.attach(py -> py.eval("__import__('importlib.machinery').machinery"
                                + ".EXTENSION_SUFFIXES[0]").toJava(String.class));
                        byte[] garbage = new byte[4096];
                        new java.util.Random(7).nextBytes(garbage);
                        Files.write(dir.resolve("broken" + suffix), garbage);
                        Files.write(dir.resolve("empty" + suffix), new byte[0]);
                        // a real ELF header and then nothing: dlopen must refuse it
                        String libpython = Python.attach(py -> py.eval("__import__('math').__file__ if hasattr("
                                + "__import__('math'), '__file__') else ''").toJava(String.class));
                        Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
                        byte[] elf = Files.readAllBytes(Files.exists(libm) ? libm : Path.of(libpython));
                        Files.write(dir.resolve("truncated" + suffix), java.util.Arrays.copyOf(elf, 200));
                        // a real shared library that is no Python module
                        Files.write(dir.resolve("notamodule" + suffix), elf);
                        Python.attach(py -> {
                            for (String name : List.of("broken", "empty", "truncated", "notamodule")) {
                                PyImportError e = assertThrows(PyImportError.class, () -> py.importModule(name), name);
                                System.out.println(name + ": " + e.getMessage());
                            }
                            assertEquals(2L, py.eval("1 + 1").toJava(long.class));
                            return null;
                        });
                    })
                    // last: on CPython 3.12/3.13 the parser overflows a 256 KiB stack (see the report)
                    .add("generated-eval-run-small-stack", () -> runAll("small"))
                    .build();
        }
    }

    @TestFactory
    Stream<DynamicTest> hostileInput() {
        Path file = write(generate());
        return ForkedScenarios.run("hostile input", Cases.class, n -> true, 120, "-Dhostile.file=" + file).stream();
    }
}
