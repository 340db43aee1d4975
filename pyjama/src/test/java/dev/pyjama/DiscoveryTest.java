package dev.pyjama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyjama.testing.ForkedJvm;
import dev.pyjama.testing.ProbeMain;
import dev.pyjama.testing.PyTesting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding and starting CPython, each case in a fresh JVM (one CPython per process, and discovery
 * happens once per process). The interpreter under test ({@code -Dpyjama.python}) is the base.
 */
class DiscoveryTest {

    private static final String PYENV = "/root/.pyenv/versions";
    private static final String EXCEPTION = "dev.pyjama.exceptions.PythonStartupException";

    /** The python executable under test, or null when the tests were pointed at a library file. */
    private static String python;
    /** Its major.minor version. */
    private static String version;
    /** Its libpython file. */
    private static String library;

    @BeforeAll
    static void findTheInterpreterUnderTest() throws Exception {
        String configured = PyTesting.configuredPython();
        if (configured == null) {
            configured = "python3";
        }
        if (Path.of(configured).getFileName().toString().startsWith("libpython")) {
            library = configured;
            version = Python.attach(py -> py.eval("'%d.%d' % __import__('sys').version_info[:2]").toJava(String.class));
            return;
        }
        python = configured;
        List<String> out = runPython(python, "import sys, sysconfig, os\n"
                + "v = sysconfig.get_config_var\n"
                + "print('%d.%d' % sys.version_info[:2])\n"
                + "for d in (v('LIBDIR'), os.path.join(v('LIBDIR'), v('MULTIARCH') or ''), v('LIBPL')):\n"
                + "    for n in (v('LDLIBRARY'), v('INSTSONAME')):\n"
                + "        p = os.path.join(d, n)\n"
                + "        if n and '.so' in n and os.path.isfile(p):\n"
                + "            print(p)\n");
        version = out.get(0);
        library = out.size() > 1 ? out.get(1) : null;
    }

    private static List<String> runPython(String exe, String code) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(exe, "-E", "-s", "-c", code).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), exe + " did not finish");
        assertEquals(0, p.exitValue(), exe + ": " + text);
        return new ArrayList<>(text.strip().lines().toList());
    }

    private static ForkedJvm probe(String... steps) {
        return ForkedJvm.of(ProbeMain.class).args(steps).timeout(90);
    }

    private static void assertStarted(ForkedJvm.Result r, String expectedVersion) {
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(expectedVersion, r.value("version"), r.describe());
        assertEquals("4.0", r.value("math"), "import math needs RTLD_GLOBAL\n" + r.describe());
        String exe = r.value("executable");
        assertTrue(exe != null && Path.of(exe).getFileName().toString().startsWith("python"),
                "sys.executable is not a python: " + r.describe());
    }

    private static void assertStartupFailure(ForkedJvm.Result r, String... mustContain) {
        assertEquals(3, r.exitCode(), r.describe());
        assertEquals(EXCEPTION, r.value("exception"), r.describe());
        for (String s : mustContain) {
            assertTrue(r.stdout().contains(s), "message lacks '" + s + "':\n" + r.describe());
        }
        assertTrue(r.stdout().contains("-Dpyjama.python") && r.stdout().contains("PYJAMA_PYTHON"),
                "message does not say how to point pyjama at an interpreter:\n" + r.describe());
    }

    @Test
    void systemPropertyNamingALibpythonFile() {
        assumeTrue(library != null, "no libpython file found for the interpreter under test");
        ForkedJvm.Result r = probe("info").sysProp("pyjama.python", library).run();
        assertStarted(r, version);
    }

    @Test
    void systemPropertyNamingAPyenvLibpythonFile() {
        Path lib = Path.of(PYENV, "3.12.1", "lib", "libpython3.12.so");
        assumeTrue(Files.isRegularFile(lib), lib + " not present");
        ForkedJvm.Result r = probe("info").sysProp("pyjama.python", lib.toString()).run();
        assertStarted(r, "3.12");
        assertEquals(PYENV + "/3.12.1", r.value("prefix"), r.describe());
    }

    @Test
    void environmentVariable() {
        String chosen = python != null ? python : library;
        ForkedJvm.Result r = probe("info").env("PYJAMA_PYTHON", chosen).run();
        assertStarted(r, version);
    }

    @Test
    void systemPropertyWinsOverEnvironmentVariable() {
        assumeTrue(python != null);
        ForkedJvm.Result r = probe("info").sysProp("pyjama.python", python)
                .env("PYJAMA_PYTHON", "/nonexistent/env/python3").run();
        assertStarted(r, version);
    }

    @Test
    void brokenExplicitChoiceFailsWithItsReason() {
        ForkedJvm.Result r = probe("info").sysProp("pyjama.python", "/nonexistent/pyjama/bin/python3").run();
        assertStartupFailure(r, "/nonexistent/pyjama/bin/python3", "no such file", "system property pyjama.python");
        ForkedJvm.Result env = probe("info").env("PYJAMA_PYTHON", "/nonexistent/env/python3").run();
        assertStartupFailure(env, "/nonexistent/env/python3", "no such file", "PYJAMA_PYTHON");
    }

    @Test
    void brokenExplicitChoiceIsFinalEvenWithAGoodPythonOnPath() {
        assumeTrue(python != null);
        // python3 on PATH would work, but an explicit choice is not silently replaced
        String dir = Path.of(python).getParent().toString();
        ForkedJvm.Result r = probe("info").sysProp("pyjama.python", "/nonexistent/x/python3")
                .env("PATH", dir).run();
        assertStartupFailure(r, "/nonexistent/x/python3");
    }

    @Test
    void notAPython() throws IOException {
        Path notExecutable = Files.createTempFile("pyjama-not-python", ".txt");
        try {
            ForkedJvm.Result r = probe("info").sysProp("pyjama.python", notExecutable.toString()).run();
            assertStartupFailure(r, notExecutable.toString(), "neither an executable nor a libpython");
        } finally {
            Files.deleteIfExists(notExecutable);
        }
    }

    @Test
    void python2IsRefusedAsTooOld() {
        Path py2 = Path.of(PYENV, "2.7.18", "bin", "python");
        assumeTrue(Files.isExecutable(py2), py2 + " not present");
        ForkedJvm.Result r = probe("info").sysProp("pyjama.python", py2.toString()).run();
        assertStartupFailure(r, py2.toString(), "too old", "3.10");
        Path lib2 = Path.of(PYENV, "2.7.18", "lib", "libpython2.7.so");
        if (Files.isRegularFile(lib2)) {
            ForkedJvm.Result rl = probe("info").sysProp("pyjama.python", lib2.toString()).run();
            assertStartupFailure(rl, lib2.toString(), "too old");
        }
        Path py39 = Path.of(PYENV, "3.9.18", "bin", "python3");
        if (Files.isExecutable(py39)) {
            ForkedJvm.Result r9 = probe("info").sysProp("pyjama.python", py39.toString()).run();
            assertStartupFailure(r9, "3.9", "too old");
        }
    }

    @Test
    void emptyPathListsEveryPlaceTried() {
        ForkedJvm.Result r = probe("info").clearEnv().env("PATH", "").run();
        assertStartupFailure(r, "VIRTUAL_ENV", "python3 on PATH: not found", "python on PATH: not found");
    }

    @Test
    void pathWithOnlyPython2ListsItsReason() {
        Path dir = Path.of(PYENV, "2.7.18", "bin");
        assumeTrue(Files.isExecutable(dir.resolve("python")) && !Files.exists(dir.resolve("python3")));
        ForkedJvm.Result r = probe("info").clearEnv().env("PATH", dir.toString()).run();
        assertStartupFailure(r, "python3 on PATH: not found", "python on PATH", "too old");
    }

    @Test
    void pythonOnPathIsFound() {
        assumeTrue(python != null);
        Path dir = Path.of(python).getParent();
        assumeTrue(Files.isExecutable(dir.resolve("python3")), "no python3 beside " + python);
        ForkedJvm.Result r = probe("info").env("PATH", dir.toString()).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("4.0", r.value("math"), r.describe());
    }

    private static Path makeVenv(Path dir, boolean systemSitePackages) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "venv", "--without-pip"));
        if (systemSitePackages) {
            cmd.add("--system-site-packages");
        }
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "venv creation timed out");
        assumeTrue(p.exitValue() == 0, "cannot create a venv with " + python + ": " + out);
        Path venvPython = dir.resolve("bin").resolve("python3");
        String site = runPython(venvPython.toString(), "import sysconfig; print(sysconfig.get_paths()['purelib'])").get(0);
        Files.writeString(Path.of(site, "pyjama_venv_probe.py"), "VALUE = 'from the venv'\n");
        return venvPython;
    }

    private static void assertRunsInVenv(ForkedJvm.Result r, Path venv) throws IOException {
        assertStarted(r, version);
        Path real = venv.toRealPath();
        assertTrue(r.value("prefix").equals(venv.toString()) || r.value("prefix").equals(real.toString()),
                "sys.prefix is not the venv: " + r.describe());
        assertTrue(r.value("executable").startsWith(venv.toString()) || r.value("executable").startsWith(real.toString()),
                "sys.executable is not the venv's python: " + r.describe());
        assertNotEquals(r.value("prefix"), r.value("base_prefix"), r.describe());
        assertEquals("from the venv", r.value("value:pyjama_venv_probe"), r.describe());
    }

    @Test
    void venvSelectedByVirtualEnv(@TempDir Path tmp) throws Exception {
        assumeTrue(python != null, "needs a python executable to make a venv");
        Path venv = tmp.resolve("venv");
        makeVenv(venv, false);
        ForkedJvm.Result r = probe("info", "import:pyjama_venv_probe").env("VIRTUAL_ENV", venv.toString()).run();
        assertRunsInVenv(r, venv);
        ForkedJvm.Result json = probe("import:json").env("VIRTUAL_ENV", venv.toString()).run();
        assertEquals(0, json.exitCode(), json.describe()); // the standard library is still there
    }

    @Test
    void venvWithSystemSitePackagesSelectedByPyjamaPython(@TempDir Path tmp) throws Exception {
        assumeTrue(python != null, "needs a python executable to make a venv");
        Path venv = tmp.resolve("venv-sys");
        Path venvPython = makeVenv(venv, true);
        ForkedJvm.Result r = probe("info", "import:pyjama_venv_probe").env("PYJAMA_PYTHON", venvPython.toString()).run();
        assertRunsInVenv(r, venv);
        // the folder itself names the environment too
        ForkedJvm.Result byDir = probe("info", "import:pyjama_venv_probe").sysProp("pyjama.python", venv.toString()).run();
        assertRunsInVenv(byDir, venv);
    }

    /**
     * An environment made by the virtualenv tool (not the venv module) for the interpreter under
     * test: found through VIRTUAL_ENV, its packages importable. Debian ships virtualenv for its
     * python3 (python3-virtualenv, installed by .ci/run); uv and conda cannot be installed on this
     * kind of machine (no PyPI), so they are not tested here.
     */
    @Test
    void virtualenvToolEnvironment(@TempDir Path tmp) throws Exception {
        assumeTrue(python != null, "needs a python executable");
        Process check = new ProcessBuilder(python, "-c", "import virtualenv").redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        assumeTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0,
                "the virtualenv tool is not installed for " + python + " (Debian: apt-get install python3-virtualenv)");
        Path env = tmp.resolve("virtualenv-env");
        Process p = new ProcessBuilder(python, "-m", "virtualenv", "--no-pip", "--no-setuptools", "--no-wheel",
                env.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "virtualenv failed: " + out);
        Path envPython = env.resolve("bin").resolve("python3");
        String site = runPython(envPython.toString(), "import sysconfig; print(sysconfig.get_paths()['purelib'])").get(0);
        Files.writeString(Path.of(site, "pyjama_venv_probe.py"), "VALUE = 'from the venv'\n");
        ForkedJvm.Result r = probe("info", "import:pyjama_venv_probe").env("VIRTUAL_ENV", env.toString()).run();
        assertRunsInVenv(r, env);
    }

    @Test
    void initializeWithADifferentPythonAfterStartIsRefused() {
        assumeTrue(python != null);
        String other = null;
        for (String v : List.of("3.10.13", "3.11.7", "3.12.1", "3.13.0")) {
            Path p = Path.of(PYENV, v, "bin", "python3");
            if (Files.isExecutable(p) && !v.startsWith(version + ".")) {
                other = p.toString();
                break;
            }
        }
        assumeTrue(other != null, "no second interpreter");
        ForkedJvm.Result r = probe("info", "initialize:" + other).sysProp("pyjama.python", python).run();
        assertEquals(3, r.exitCode(), r.describe());
        assertEquals("java.lang.IllegalStateException", r.value("exception"), r.describe());
        assertTrue(r.stdout().contains(other), r.describe());
        assertTrue(r.stdout().contains(library != null ? Path.of(library).getFileName().toString() : version), r.describe());
        assertTrue(r.stdout().contains("already running"), r.describe());
    }

    @Test
    void initializeWithTheSamePythonIsFine() {
        assumeTrue(python != null);
        ForkedJvm.Result r = probe("info", "initialize:" + python).sysProp("pyjama.python", python).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(python, r.value("initialized"), r.describe());
    }

    @Test
    void initializeBeforeFirstAttachChoosesThePython() {
        assumeTrue(python != null);
        ForkedJvm.Result r = probe("initialize:" + python, "info").env("PYJAMA_PYTHON", "/nonexistent/ignored").run();
        assertStarted(r, version);
    }

    @Test
    void initializeWithTheSameInterpreterNamedByItsLibrary() {
        assumeTrue(python != null && library != null);
        // started from the library file, then confirmed by its executable: the same interpreter
        ForkedJvm.Result r = probe("info", "initialize:" + python).sysProp("pyjama.python", library).run();
        assertEquals(0, r.exitCode(), r.describe());
    }
}
