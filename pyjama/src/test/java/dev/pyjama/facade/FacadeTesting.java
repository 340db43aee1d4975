package dev.pyjama.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyjama.Python;
import dev.pyjama.internal.facade.FacadeGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers of the facade tests: a Python module from text, its facade, javac over it. */
final class FacadeTesting {

    private FacadeTesting() {}

    private static final AtomicInteger NEXT = new AtomicInteger();

    /** A module name no other test uses (modules stay in sys.modules). */
    static String uniqueModule(String stem) {
        return stem + "_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    }

    /**
     * Writes {@code source} as {@code dir/module.py}, forgets any earlier import of that module,
     * and generates its facade in memory.
     */
    static Map<String, String> facade(Path dir, String module, String source, String pkg, List<String> warnings) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(module + ".py"), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Python.attach(py -> {
            py.run("import sys, importlib\nsys.modules.pop('" + module + "', None)\nimportlib.invalidate_caches()\n");
            return null;
        });
        return FacadeGenerator.sources(null, List.of(module), pkg, List.of(dir), warnings);
    }

    /** The result of javac: whether it succeeded and what it said. */
    record Compiled(boolean ok, String diagnostics, Path classes) {}

    /**
     * Compiles {@code files} (class name to source, in {@code pkg}) plus {@code extra} sources
     * (package-qualified name to source) against the test class path, with every lint and doclint
     * on for the generated code's public API.
     */
    static Compiled compile(Path root, String pkg, Map<String, String> files, Map<String, String> extra) {
        try {
            Path src = root.resolve("src");
            Path classes = root.resolve("classes");
            Files.createDirectories(classes);
            List<String> args = new ArrayList<>(List.of("-Xlint:all", "-Xdoclint:all/protected", "-proc:none",
                    "-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
            for (Map.Entry<String, String> e : files.entrySet()) {
                args.add(write(src, pkg + "." + e.getKey(), e.getValue()).toString());
            }
            for (Map.Entry<String, String> e : extra.entrySet()) {
                args.add(write(src, e.getKey(), e.getValue()).toString());
            }
            // java.util.spi.ToolProvider (java.base) rather than javax.tools: the tests are
            // compiled into the dev.pyjama module, which does not read java.compiler.
            java.util.spi.ToolProvider javac = java.util.spi.ToolProvider.findFirst("javac").orElseThrow();
            StringWriter out = new StringWriter();
            var err = new java.io.PrintWriter(out);
            int status = javac.run(err, err, args.toArray(String[]::new));
            err.flush();
            return new Compiled(status == 0, out.toString(), classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path src, String qualified, String text) throws IOException {
        Path f = src.resolve(qualified.replace('.', '/') + ".java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    /** Runs {@code static Object run()} of class {@code name} from {@code classes} (pyjama from the test class path). */
    static Object run(Path classes, String name) throws ReflectiveOperationException {
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                FacadeTesting.class.getClassLoader())) {
            return loader.loadClass(name).getMethod("run").invoke(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles {@code files} of {@code pkg} with {@code caller} as {@code gen.use.Caller} ({@code M.} in it
     * names the module's class, {@code moduleClass}), asserts that javac said nothing, and returns what
     * its {@code run()} returned.
     */
    static Object compileAndRunCaller(Path root, String pkg, Map<String, String> files, String moduleClass,
            String caller) throws ReflectiveOperationException {
        Compiled c = compile(root, pkg, files, Map.of("gen.use.Caller", caller.replace("M.", moduleClass + ".")));
        assertCompiles(c);
        return run(c.classes(), "gen.use.Caller");
    }

    static void assertCompiles(Compiled c) {
        assertEquals("", c.diagnostics().strip(), "javac (with lint and doclint) said something");
        assertEquals(true, c.ok());
    }
}
