package dev.pyjama.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JVM start to first Python result (benchmark 8): each operation starts a process and waits for it
 * to print {@code 2} and exit (wall time of the whole process, measured by JMH around
 * {@code ProcessBuilder.start()} ... {@code waitFor()}).
 *
 * <ul>
 *   <li>{@code pyjama_exe}: {@link StartPyjama} with {@code -Dpyjama.python=<python executable>}
 *       (pyjama asks that interpreter for its libpython: one python subprocess on the start path);
 *   <li>{@code pyjama_lib}: the same with {@code -Dpyjama.python=<libpython3.x.so>} (the location is
 *       known: no subprocess);
 *   <li>{@code raw}: {@link StartRaw}, dlopen + {@code Py_InitializeEx(0)} + eval through plain FFM,
 *       the floor;
 *   <li>{@code python}: {@code python3 -c "print(1+1)"}, CPython's own start, for scale.
 * </ul>
 *
 * The child JVMs get only {@code --enable-native-access=ALL-UNNAMED} (not the benchmark fork's heap
 * or pre-touch options) and the benchmark jar as class path. Properties: {@code pyjama.python} (the
 * executable) and {@code pyjama.bench.libpython} (its libpython; asked from the executable once in
 * the setup when absent).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBench {

    @State(Scope.Benchmark)
    public static class Commands {
        List<String> pyjamaExe;
        List<String> pyjamaLib;
        List<String> raw;
        List<String> python;

        @Setup(Level.Trial)
        public void setup() throws IOException, InterruptedException {
            String exe = System.getProperty("pyjama.python", "");
            if (exe.isEmpty()) {
                exe = "python3";
            }
            String lib = System.getProperty("pyjama.bench.libpython", "");
            if (lib.isEmpty()) {
                lib = run(List.of(exe, "-c",
                        "import sysconfig, os; print(os.path.join(sysconfig.get_config_var('LIBDIR'), "
                                + "sysconfig.get_config_var('LDLIBRARY')))")).strip();
            }
            if (!Files.exists(Path.of(lib))) {
                throw new IllegalStateException("no libpython at " + lib);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("java.class.path");
            pyjamaExe = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dpyjama.python=" + exe,
                    "-cp", cp, StartPyjama.class.getName());
            pyjamaLib = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dpyjama.python=" + lib,
                    "-cp", cp, StartPyjama.class.getName());
            raw = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp, StartRaw.class.getName(), lib);
            python = List.of(exe, "-c", "print(1+1)");
            for (List<String> c : List.of(pyjamaExe, pyjamaLib, raw, python)) {
                String out = run(c);
                if (!out.strip().equals("2")) {
                    throw new IllegalStateException(c + " printed " + out);
                }
            }
        }
    }

    /** Runs a command to its end and returns its standard output; fails on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(command + " exited with " + rc + ": " + out);
        }
        return out;
    }

    @Benchmark
    public String startup_pyjama_exe(Commands c) throws Exception {
        return run(c.pyjamaExe);
    }

    @Benchmark
    public String startup_pyjama_lib(Commands c) throws Exception {
        return run(c.pyjamaLib);
    }

    @Benchmark
    public String startup_raw(Commands c) throws Exception {
        return run(c.raw);
    }

    @Benchmark
    public String startup_python(Commands c) throws Exception {
        return run(c.python);
    }
}
