package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import dev.pyjama.PythonInfo;
import dev.pyjama.testing.ForkedJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonInfo#gilEnabled()} says whether the GIL is on now, not when CPython started: on a
 * free-threaded build, importing an extension module that does not declare free-threading support
 * ({@code Py_mod_gil}) turns the GIL on for the rest of the process, with a RuntimeWarning on
 * Python's stderr. The test compiles such a module (a dozen lines of C, with the C compiler and the
 * headers of the interpreter under test) and imports it in a forked JVM, since the GIL stays on
 * there afterwards. On GIL builds the same import changes nothing: the GIL was on all along.
 */
class GilEnabledTest {

    private static final String MODULE = "pyjama_gil_probe";

    /** A module without a Py_mod_gil slot: CPython assumes it needs the GIL. */
    private static final String SOURCE = String.join("\n",
            "#include <Python.h>",
            "static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"" + MODULE + "\", NULL, 0, NULL};",
            "PyMODINIT_FUNC PyInit_" + MODULE + "(void) { return PyModuleDef_Init(&def); }",
            "");

    @Test
    void infoAgreesWithSysAndIsTrueOnGilBuilds() {
        PythonInfo info = Python.info();
        boolean sys = Python.attach(py -> py.eval("getattr(__import__('sys'), '_is_gil_enabled', lambda: True)()")
                .toJava(boolean.class));
        assertEquals(sys, info.gilEnabled(), info.toString());
        if (!info.freeThreaded()) {
            assertTrue(info.gilEnabled(), "a GIL build reported the GIL off: " + info);
        }
    }

    /** {@code PYTHON_GIL=1} turns the GIL on at start on a free-threaded build (and is the default elsewhere). */
    @Test
    void theGilTurnedOnAtStartIsReported() {
        ForkedJvm.Result r = ForkedJvm.of(SyncScenarios.class).withPythonUnderTest().env("PYTHON_GIL", "1")
                .timeout(60).args("gil-info").run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("true", r.value("before.gilEnabled"), r.describe());
        assertEquals(Python.info().freeThreaded() + "", r.value("before.freeThreaded"), r.describe());
    }

    @Test
    void importingAnExtensionWithoutFreeThreadingSupportTurnsTheGilOnAndInfoSaysSo() throws Exception {
        boolean free = Python.info().freeThreaded();
        Path dir = Files.createTempDirectory("pyjama-gil-probe");
        compile(dir);
        ForkedJvm.Result r = ForkedJvm.of(SyncScenarios.class).withPythonUnderTest().timeout(60)
                .args("gil-info", dir.toString(), MODULE).run();
        System.out.println("[GilEnabledTest] before: " + r.value("before.info") + "\n[GilEnabledTest] after: "
                + r.value("after.info"));
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(free + "", r.value("before.freeThreaded"), r.describe());
        assertEquals(!free + "", r.value("before.gilEnabled"), r.describe());
        assertEquals("true", r.value("after.gilEnabled"), "Python.info() after the import\n" + r.describe());
        if (free) {
            assertEquals("false", r.value("before.sys._is_gil_enabled"), r.describe());
            assertEquals("true", r.value("after.sys._is_gil_enabled"), r.describe());
            assertTrue(r.value("after.info").contains("GIL on"), "toString says so: " + r.value("after.info"));
            // CPython's warning reaches the process's stderr, where the user sees it
            assertTrue(r.stderr().contains("The global interpreter lock (GIL) has been enabled to load module '"
                    + MODULE + "'"), r.describe());
        } else {
            assertFalse(r.stderr().contains("has been enabled to load module"), r.describe());
        }
    }

    /** Compiles {@link #SOURCE} into {@code dir} as an extension module of the interpreter under test. */
    private static void compile(Path dir) throws IOException, InterruptedException {
        List<String> config = Python.attach(py -> py.eval("(lambda s: [s.get_paths()['include'],"
                + " s.get_config_var('EXT_SUFFIX') or '.so', (s.get_config_var('CC') or 'cc').split()[0]])"
                + "(__import__('sysconfig'))").toJava(List.class)).stream().map(String::valueOf).toList();
        Path source = dir.resolve(MODULE + ".c");
        Files.writeString(source, SOURCE);
        Path out = dir.resolve(MODULE + config.get(1));
        List<String> tried = new ArrayList<>();
        for (String cc : new String[] {config.get(2), "cc", "gcc", "clang"}) {
            List<String> cmd = List.of(cc, "-shared", "-fPIC", "-O0", "-I" + config.get(0), source.toString(), "-o",
                    out.toString());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                tried.add(cc + ": " + e.getMessage());
                continue;
            }
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                tried.add(cc + ": timed out");
                continue;
            }
            if (p.exitValue() == 0 && Files.exists(out)) {
                return;
            }
            tried.add(String.join(" ", cmd) + " -> exit " + p.exitValue() + ": " + output);
        }
        // Without a C compiler no module can be built here; the other tests of this class still check
        // that info() agrees with sys._is_gil_enabled() and reports a GIL turned on at start.
        Assumptions.abort("no C compiler could build a test extension module: " + tried);
    }
}
