package dev.pyjama.internal.facade;

import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.PythonConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;


/**
 * The facade generator: asks the running CPython for modules' signatures and type hints
 * ({@code introspect.py}, run through pyjama itself) and writes typed Java sources for them
 * ({@link FacadeWriter}). One entry for every build tool: the command
 * {@code java -jar pyjama.jar facade ...} ({@link #main}), which the Maven plugin forks too, so that
 * each generation gets a JVM and a CPython of its own (Maven's JVM may run several builds, and a
 * process holds one CPython).
 */
public final class FacadeGenerator {

    private FacadeGenerator() {}

    /**
     * What to generate.
     *
     * @param python the CPython to use (as {@code -Dpyjama.python}: an executable, an environment
     *     folder or a libpython), or null for pyjama's discovery
     * @param modules the modules to cover
     * @param javaPackage the Java package of the sources
     * @param outputDirectory the source root to write into (the package's folders are made)
     * @param pythonPath folders put first on {@code sys.path} (a project's {@code src/main/python})
     */
    public record Options(String python, List<String> modules, String javaPackage, Path outputDirectory,
                          List<Path> pythonPath) {
        /** Checks the options. */
        public Options {
            modules = List.copyOf(modules);
            Objects.requireNonNull(javaPackage, "javaPackage");
            Objects.requireNonNull(outputDirectory, "outputDirectory");
            pythonPath = List.copyOf(pythonPath);
            if (modules.isEmpty()) {
                throw new IllegalArgumentException("no module to generate a facade for");
            }
        }
    }

    /**
     * The sources and warnings of a generation.
     *
     * @param files the written files
     * @param warnings what could not be typed, one line each
     */
    public record Result(List<Path> files, List<String> warnings) {}

    /**
     * Generates the facade sources (in memory): file simple name to source text, and the warnings.
     * Starts Python if it is not running.
     *
     * @param python the CPython, or null for discovery (ignored when Python already runs)
     * @param modules the modules
     * @param javaPackage the Java package
     * @param pythonPath folders put first on {@code sys.path}
     * @param warnings receives the warnings
     * @return class name to source
     */
    public static Map<String, String> sources(String python, List<String> modules, String javaPackage,
                                              List<Path> pythonPath, List<String> warnings) {
        if (python != null && !python.isEmpty()) {
            try {
                Python.initialize(PythonConfig.of(python));
            } catch (IllegalStateException alreadyRunning) {
                // the same interpreter is running (tests): use it; a different one fails below anyway
            }
        }
        return Python.attach(py -> {
            PyObject sys = py.importModule("sys");
            PyObject path = sys.getAttr("path");
            for (int i = pythonPath.size() - 1; i >= 0; i--) {
                String p = pythonPath.get(i).toAbsolutePath().toString();
                if (!path.contains(p)) {
                    path.callMethod("insert", 0, p);
                }
            }
            PyModule intro = PyModule.fromCode(py, script(), "<pyjama facade introspect.py>", "_pyjama_facade_introspect");
            @SuppressWarnings("unchecked")
            Map<String, Object> description = intro.callMethod("describe", modules).toJava(Map.class);
            FacadeWriter w = new FacadeWriter(javaPackage, (String) description.get("python"));
            w.write(description);
            warnings.addAll(w.warnings());
            return w.files();
        });
    }

    /**
     * Generates and writes the facade; stale files of earlier runs in the package folder are left
     * alone unless they carry the generator's header, which are deleted first.
     *
     * @param options what to generate
     * @return the files and warnings
     */
    public static Result generate(Options options) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = sources(options.python(), options.modules(), options.javaPackage(),
                options.pythonPath(), warnings);
        Path dir = options.outputDirectory().resolve(options.javaPackage().replace('.', '/'));
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            try (var old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    if (p.toString().endsWith(".java") && Files.readString(p).startsWith(HEADER)) {
                        Files.delete(p);
                    }
                }
            }
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path f = dir.resolve(e.getKey() + ".java");
                Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
                written.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(written, warnings);
    }

    /**
     * The Java class name of a module's functions ({@code pricing_tools} -> {@code PricingTools}),
     * unless a class of the module has that name (then it ends in {@code Module}).
     *
     * @param module the dotted module name
     * @return the simple class name
     */
    public static String moduleClassName(String module) {
        return JavaNames.typeName(module.substring(module.lastIndexOf('.') + 1));
    }

    private static final String HEADER = "// Generated by pyjama's facade generator";

    private static String script() {
        try (InputStream in = FacadeGenerator.class.getResourceAsStream("introspect.py")) {
            if (in == null) {
                throw new IllegalStateException("introspect.py is missing from the pyjama jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String USAGE = """
            usage: java -jar pyjama.jar facade [--python PYTHON] --module MODULE [--module MODULE...]
                                               --package JAVA_PACKAGE --out SOURCE_DIR [--path PYTHON_DIR...]
              --python   the CPython to use (default: pyjama's discovery, as -Dpyjama.python)
              --module   a Python module to cover (repeat, or comma-separated)
              --package  the Java package of the generated classes
              --out      the source root to write into (e.g. target/generated-sources/pyjama)
              --path     a folder put first on sys.path (e.g. src/main/python); repeat
            Warnings (what could not be typed) go to standard error; the exit status is 0 unless
            generation itself failed (2: bad arguments, 1: Python failed).""";

    /**
     * The command form: {@code java -jar pyjama.jar facade ...}.
     *
     * @param args the arguments after {@code facade}
     * @return the exit status
     */
    public static int run(String[] args) {
        String python = null;
        String pkg = null;
        Path out = null;
        List<String> modules = new ArrayList<>();
        List<Path> path = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--python" -> python = v;
                    case "--module" -> {
                        for (String m : v.split(",")) {
                            if (!m.isBlank()) {
                                modules.add(m.strip());
                            }
                        }
                    }
                    case "--package" -> pkg = v;
                    case "--out" -> out = Path.of(v);
                    case "--path" -> path.add(Path.of(v));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (pkg == null || out == null || modules.isEmpty()) {
                throw new IllegalArgumentException("--module, --package and --out are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("pyjama facade: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        Result r = generate(new Options(python, modules, pkg, out, path));
        for (String w : r.warnings()) {
            System.err.println("pyjama facade: warning: " + w);
        }
        System.out.println("pyjama facade: " + r.files().size() + " file(s) in " + out.resolve(pkg.replace('.', '/'))
                + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " warning(s)"));
        return 0;
    }

}
