package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyjama.testing.PyTesting;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM that used a C++ extension with static Python state exits cleanly: pyjama finalises CPython
 * at exit (as {@code python} does before {@code exit()}) when no Java thread is inside Python, so
 * the extension's exit-time destructor finds nothing to release. Each case runs {@link ExitMain} in
 * a forked JVM. DuckDB is the real case (its wheel exists for 3.11 here); {@link ExitMain#STAND_IN}
 * does what DuckDB does at exit on every CPython, so that these tests mean something on the
 * interpreters DuckDB has no wheel for (3.10, 3.12+, free-threaded).
 */
class ExitTest {

    /** JVM start + CPython start + flush + the exit's waits (0.5 s + 1 s at most) + finalisation, with room. */
    static final long PROMPT_MILLIS = 10_000;

    @ParameterizedTest(name = "duckdb, {0}")
    @ValueSource(strings = {"return", "exit-from-other-thread"})
    void duckdbExitsCleanly(String mode) {
        assumeTrue(hasDuckdb(), "duckdb is not installed for the CPython under test");
        ChildJvm.Result r = run("duckdb", mode);
        assertClean(r, 0);
        assertEquals("42", r.value("duckdb"), r::describe);
        assertTrue(r.stdout().contains("atexit-ran"), () -> "Python was not finalised: " + r.describe());
    }

    @ParameterizedTest(name = "stand-in, {0}")
    @ValueSource(strings = {"return", "exit-from-other-thread"})
    void standInExitsCleanly(String mode) {
        ChildJvm.Result r = run("standin", mode);
        assumeTrue(!"unsupported".equals(r.value("standin")), "the stand-in is x86-64 machine code");
        assertEquals("installed", r.value("standin"), r::describe);
        assertClean(r, 0);
        assertTrue(r.stdout().contains("atexit-ran"), () -> "Python was not finalised: " + r.describe());
    }

    /**
     * The stand-in is faithful: when Python is not finalised (a thread is inside it at exit, so
     * pyjama leaves it running), its exit-time destructor ends the JVM as DuckDB's does: "Fatal
     * Python error: PyEval_SaveThread" and SIGABRT on 3.10 to 3.12, a SIGSEGV in libpython on 3.13
     * and 3.14 (whose PyEval_SaveThread no longer checks for a missing thread state). If pyjama
     * learns to finalise in this case too, this test should change with it.
     */
    @Test
    void standInCrashesTheExitWhenPythonIsLeftRunning() {
        ChildJvm.Result r = run("standin", "detached-then-exit");
        assumeTrue(!"unsupported".equals(r.value("standin")), "the stand-in is x86-64 machine code");
        assertTrue(r.stderr().contains("Python is left running"), r::describe);
        assertFalse(r.noCrash(), () -> "the stand-in's destructor did not crash: " + r.describe());
    }

    /**
     * A Java thread blocked inside Python at exit (a daemon one, the JVM exiting as main returns; a
     * non-daemon one, with System.exit; one in a detached block) neither hangs nor crashes the exit:
     * Python is left running, as it was before finalisation existed, and its output is flushed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"daemon-sleeping-in-python", "non-daemon-sleeping-in-python-then-exit", "detached-then-exit"})
    void threadInsidePythonDoesNotHangOrCrashTheExit(String mode) {
        ChildJvm.Result r = run("none", mode);
        assertClean(r, 0);
        assertFalse(r.stdout().contains("atexit-ran"), () -> "Python was finalised under a thread: " + r.describe());
    }

    /** An attach after the finalisation (a shutdown hook that waited) throws a clear exception. */
    @Test
    void attachAfterFinalizationThrowsAClearException() {
        ChildJvm.Result r = run("none", "hook-attaches-after-finalization");
        assertClean(r, 0);
        assertTrue(r.stdout().contains("atexit-ran"), () -> "Python was not finalised: " + r.describe());
        String late = r.value("late-attach");
        assertTrue(late != null && late.startsWith("dev.pyjama.exceptions.PyPythonFinalizationError")
                && late.contains("shutting down"), r::describe);
    }

    private static ChildJvm.Result run(String extension, String mode) {
        return ChildJvm.of(ExitMain.class).jvmArgs("-Dpyjama.debug.exit=true").args(extension, mode).timeout(60).run();
    }

    private static void assertClean(ChildJvm.Result r, int exitCode) {
        assertTrue(r.noCrash(), () -> "crash or hang: " + r.describe());
        assertEquals(exitCode, r.exitCode(), r::describe);
        assertTrue(r.millis() < PROMPT_MILLIS, () -> "took " + r.millis() + " ms: " + r.describe());
        assertTrue(r.stdout().contains("pyout"), () -> "Python's buffered output was lost: " + r.describe());
    }

    private static boolean hasDuckdb() {
        String python = PyTesting.configuredPython();
        try {
            Process p = new ProcessBuilder(python != null ? python : "python3", "-c", "import duckdb")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
