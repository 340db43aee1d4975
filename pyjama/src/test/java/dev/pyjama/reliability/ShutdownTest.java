package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The JVM exits promptly and cleanly with Python still busy: a thread blocked in {@code time.sleep}
 * inside an attach scope, Python daemon threads running, Cleaner releases pending, a Java thread
 * holding the GIL, a shutdown hook that attaches. Each case runs {@link ShutdownMain} in a forked
 * JVM: it must exit within {@link #PROMPT_MILLIS} ms with the expected code, with Python's buffered
 * output ({@code print('pyout', end='')}, never flushed by the program) on stdout, and without a
 * crash (signal, hs_err file, "Fatal Python error").
 */
class ShutdownTest {

    /** JVM start + CPython start + pyjama's 2 s flush bound at exit, with room for a slow machine. */
    static final long PROMPT_MILLIS = 10_000;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("exit-with-thread-sleeping-in-python", 0, true),
                Arguments.of("exit-7-with-thread-sleeping-in-python", 7, true),
                Arguments.of("return-with-thread-sleeping-in-python", 0, true),
                Arguments.of("return-with-python-threads-running", 0, true),
                Arguments.of("exit-with-python-threads-running", 0, true),
                Arguments.of("return-with-pending-cleaner-releases", 0, true),
                // the GIL is held by Java code forever: the output cannot be flushed, but exit must be prompt
                Arguments.of("exit-with-java-thread-holding-the-gil", 0, false),
                Arguments.of("shutdown-hook-attaches", 0, true),
                Arguments.of("shutdown-hook-attaches-first", 0, true),
                Arguments.of("sys-exit-in-python-then-return", 0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void exitsPromptlyAndCleanly(String mode, int exitCode, boolean flushed) {
        ChildJvm.Result r = ChildJvm.of(ShutdownMain.class).args(mode).timeout(60).run();
        assertTrue(r.noCrash(), () -> "crash or hang: " + r.describe());
        assertEquals(exitCode, r.exitCode(), r::describe);
        assertTrue(r.millis() < PROMPT_MILLIS, () -> "took " + r.millis() + " ms: " + r.describe());
        if (flushed) {
            assertTrue(r.stdout().contains("pyout"), () -> "Python's buffered output was lost: " + r.describe());
        }
        if (mode.startsWith("shutdown-hook")) {
            assertTrue(r.stdout().contains("hook=42"), () -> "the shutdown hook could not attach: " + r.describe());
        }
        if (mode.equals("return-with-pending-cleaner-releases")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("pending=(\\d+)").matcher(r.stdout());
            assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0, () -> "nothing was pending: " + r.describe());
        }
    }

    /**
     * The interpreter's first start happens in a shutdown hook: it must either work or throw a clear
     * exception (not an internal one), and the JVM must exit promptly.
     */
    @Test
    void firstAttachInAShutdownHook() {
        ChildJvm.Result r = ChildJvm.of(ShutdownFirstAttachMain.class).timeout(60).run();
        assertTrue(r.noCrash(), () -> "crash or hang: " + r.describe());
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.millis() < PROMPT_MILLIS, () -> "took " + r.millis() + " ms: " + r.describe());
        String hook = r.value("hook");
        String ex = r.value("hook-exception");
        assertTrue("42".equals(hook) || ex != null, () -> "neither a result nor an exception: " + r.describe());
        if (ex != null) {
            // a clear exception says it is about Python and the JVM shutting down, e.g. a PythonStartupException
            // "cannot start Python while the JVM is shutting down", not the JDK's bare "Shutdown in progress"
            // from Runtime.addShutdownHook (which would mean CPython was initialised and then abandoned)
            assertTrue(ex.toLowerCase(java.util.Locale.ROOT).contains("python")
                    && ex.toLowerCase(java.util.Locale.ROOT).contains("shut"),
                    () -> "the exception does not say what went wrong: " + ex);
        }
    }
}
