package dev.pyjama.internal.runtime;

import dev.pyjama.exceptions.PythonStartupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the CPython to load. Candidates, in order: an explicit choice (a {@code PythonConfig}, else
 * the system property {@code pyjama.python}, else the environment variable {@code PYJAMA_PYTHON}),
 * then an active virtual environment ({@code VIRTUAL_ENV}), then {@code python3} and
 * {@code python} on PATH. Each names a python executable, an environment folder or a libpython file.
 *
 * <p>An explicit choice is final: if it is broken, discovery fails with its reason rather than
 * quietly loading another Python. Otherwise the first candidate that works wins, and a failure
 * lists every candidate with the reason it was refused.
 */
public final class Discovery {

    /** The oldest CPython pyjama supports. */
    static final int MIN_MINOR = 10;

    private static final Pattern LIB_NAME = Pattern.compile("libpython(\\d+)\\.(\\d+)(t?)[^/]*\\.(so|dylib)[.\\d]*");

    private Discovery() {}

    /** Where a candidate came from, and what it named. */
    record Candidate(String source, String value) {}

    /**
     * Finds an installation, or throws {@link PythonStartupException} listing what was tried.
     *
     * @param configured the path given in a PythonConfig, or null
     */
    static Installation find(String configured) {
        List<Candidate> explicit = new ArrayList<>();
        if (configured != null) {
            explicit.add(new Candidate("PythonConfig", configured));
        }
        String property = System.getProperty("pyjama.python");
        if (property != null && !property.isBlank()) {
            explicit.add(new Candidate("system property pyjama.python", property.strip()));
        }
        String env = System.getenv("PYJAMA_PYTHON");
        if (env != null && !env.isBlank()) {
            explicit.add(new Candidate("environment variable PYJAMA_PYTHON", env.strip()));
        }
        List<String> failures = new ArrayList<>();
        if (!explicit.isEmpty()) {
            Candidate c = explicit.get(0);
            try {
                return probe(c);
            } catch (CandidateRejected e) {
                failures.add(c.source() + " = " + c.value() + ": " + e.getMessage());
                throw new PythonStartupException(message(failures, true));
            }
        }
        List<Candidate> implicit = new ArrayList<>();
        String venv = System.getenv("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) {
            implicit.add(new Candidate("active virtual environment VIRTUAL_ENV", venv.strip()));
        } else {
            failures.add("VIRTUAL_ENV: not set (no active virtual environment)");
        }
        for (String name : List.of("python3", "python")) {
            Path found = onPath(name);
            if (found == null) {
                failures.add(name + " on PATH: not found");
            } else {
                implicit.add(new Candidate(name + " on PATH", found.toString()));
            }
        }
        for (Candidate c : implicit) {
            try {
                return probe(c);
            } catch (CandidateRejected e) {
                failures.add(c.source() + " = " + c.value() + ": " + e.getMessage());
            }
        }
        throw new PythonStartupException(message(failures, false));
    }

    static Installation probe(Candidate c) {
        Path p = Path.of(c.value()).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new CandidateRejected("no such file or directory");
        }
        if (Files.isDirectory(p)) {
            Path exe = p.resolve("bin").resolve("python3");
            if (!Files.isExecutable(exe)) {
                exe = p.resolve("bin").resolve("python");
            }
            if (!Files.isExecutable(exe)) {
                throw new CandidateRejected("a directory without bin/python3 or bin/python");
            }
            p = exe;
        }
        Matcher m = LIB_NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
            return fromLibrary(c, p, m);
        }
        if (!Files.isExecutable(p)) {
            throw new CandidateRejected("neither an executable nor a libpython shared library");
        }
        return fromExecutable(c, p);
    }

    private static Installation fromLibrary(Candidate c, Path lib, Matcher m) {
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        // The version text is built by hand: this runs on every start, and the first string `+` in
        // a JVM links the string-concatenation bootstrap, some 8 ms (see StartupBench).
        String version = m.group(1).concat(".").concat(m.group(2));
        checkVersion(major, minor, version);
        boolean freeThreaded = !m.group(3).isEmpty();
        // lib/libpython3.X.so sits in <prefix>/lib; the executable, when there, in <prefix>/bin.
        Path prefix = lib.getParent() == null ? null : lib.getParent().getParent();
        Path exe = null;
        if (prefix != null) {
            for (String name : List.of("python".concat(version).concat(freeThreaded ? "t" : ""), "python".concat(m.group(1)))) {
                Path e = prefix.resolve("bin").resolve(name);
                if (Files.isExecutable(e)) {
                    exe = e;
                    break;
                }
            }
        }
        return new Installation(c.source(), exe, lib, version, major, minor, freeThreaded);
    }

    /** Asks the interpreter about itself; works for Python 2 too, so that it can be refused clearly. */
    private static final String PROBE = String.join("\n",
            "import sys, os",
            "try:",
            "    import sysconfig",
            "    v = sysconfig.get_config_var",
            "except ImportError:",
            "    from distutils import sysconfig",
            "    v = sysconfig.get_config_var",
            "def out(k, x):",
            "    sys.stdout.write('%s=%s\\n' % (k, '' if x is None else x))",
            "out('version', '%d.%d.%d' % sys.version_info[:3])",
            "out('executable', sys.executable)",
            "out('prefix', sys.prefix)",
            "out('base_prefix', getattr(sys, 'base_prefix', sys.prefix))",
            "for k in ('LIBDIR', 'LDLIBRARY', 'INSTSONAME', 'MULTIARCH', 'LIBPL', 'Py_ENABLE_SHARED', 'Py_GIL_DISABLED'):",
            "    out(k, v(k))",
            "");

    private static Installation fromExecutable(Candidate c, Path exe) {
        Installation cached = DiscoveryCache.lookup(c.source(), exe);
        if (cached != null) {
            return cached;
        }
        Installation found = probeExecutable(c, exe);
        DiscoveryCache.store(exe, found);
        return found;
    }

    private static Installation probeExecutable(Candidate c, Path exe) {
        Map<String, String> facts = run(exe);
        String version = facts.getOrDefault("version", "");
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            throw new CandidateRejected("did not report its version");
        }
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        checkVersion(major, minor, version);
        boolean freeThreaded = "1".equals(facts.get("Py_GIL_DISABLED"));
        Path executable = facts.get("executable").isEmpty() ? exe : Path.of(facts.get("executable"));
        Set<Path> tried = new LinkedHashSet<>();
        String libdir = facts.get("LIBDIR");
        for (String dirName : List.of(libdir, libdir + "/" + facts.get("MULTIARCH"), facts.get("LIBPL"),
                facts.get("base_prefix") + "/lib")) {
            if (dirName == null || dirName.isEmpty() || dirName.startsWith("null") || dirName.endsWith("/")) {
                continue;
            }
            for (String name : List.of(facts.get("INSTSONAME"), facts.get("LDLIBRARY"))) {
                if (name == null || name.isEmpty() || !(name.contains(".so") || name.contains(".dylib"))) {
                    continue;
                }
                Path lib = Path.of(dirName, name);
                tried.add(lib);
                if (Files.isRegularFile(lib)) {
                    return new Installation(c.source(), executable, lib, version, major, minor, freeThreaded);
                }
            }
        }
        if (!"1".equals(facts.get("Py_ENABLE_SHARED"))) {
            throw new CandidateRejected("Python " + version + " at " + executable
                    + " has no shared library: it was built without --enable-shared"
                    + " (LDLIBRARY=" + facts.get("LDLIBRARY") + "); use a CPython built with"
                    + " --enable-shared (pyenv: PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install 3.x)");
        }
        throw new CandidateRejected("Python " + version + " at " + executable + " names a shared library that is not there; tried "
                + tried);
    }

    private static void checkVersion(int major, int minor, String version) {
        if (major != 3 || minor < MIN_MINOR) {
            throw new CandidateRejected("Python " + version + " is too old: pyjama needs CPython 3." + MIN_MINOR + " or newer");
        }
    }

    private static Map<String, String> run(Path exe) {
        Process process;
        try {
            process = new ProcessBuilder(exe.toString(), "-E", "-s", "-c", PROBE)
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new CandidateRejected("could not be started: " + e.getMessage());
        }
        try (InputStream in = process.getInputStream()) {
            process.getOutputStream().close();
            byte[] bytes = in.readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CandidateRejected("did not answer within 30 s");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new CandidateRejected("exited with status " + process.exitValue() + " when asked for its configuration: "
                        + text.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            Map<String, String> facts = new HashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    facts.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return facts;
        } catch (IOException e) {
            throw new CandidateRejected("could not be read from: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new CandidateRejected("interrupted while asking it for its configuration");
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** One candidate's refusal, caught and collected by {@link #find}. */
    static final class CandidateRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CandidateRejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private static String message(List<String> failures, boolean explicit) {
        StringBuilder sb = new StringBuilder(explicit
                ? "pyjama could not use the Python it was told to use:"
                : "pyjama found no usable CPython 3." + MIN_MINOR + "+ with a shared libpython. Tried:");
        for (String f : failures) {
            sb.append("\n  - ").append(f);
        }
        sb.append("\nPoint pyjama at an interpreter with -Dpyjama.python=/path/to/python3 (or a libpython3.x.so file),"
                + " the environment variable PYJAMA_PYTHON, or Python.initialize(PythonConfig.of(path)).");
        return sb.toString();
    }
}
