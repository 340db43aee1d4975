package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM exits promptly and cleanly with asyncio tasks pending on pyjama's loop
 * ({@link AsyncShutdownMain} in a forked JVM): the loop cancels its tasks (each one's
 * {@code finally} runs), the Java futures waiting on them are cancelled, a Java future a
 * coroutine awaited is cancelled in turn, and Python is finalised (when a task swallows its
 * cancellation, finalised or given up on within the exit gate's bound: see the test).
 */
class AsyncShutdownTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pending", "stubborn"})
    void exitWithTasksPending(String mode) throws IOException {
        Path file = dir.resolve("cancelled.txt");
        ChildJvm.Result r = ChildJvm.of(AsyncShutdownMain.class).jvmArgs("-Dpyjama.debug.exit=true")
                .args(mode, file.toString()).timeout(60).run();
        assertTrue(r.noCrash(), () -> "crash or hang: " + r.describe());
        assertEquals(0, r.exitCode(), r::describe);
        assertTrue(r.millis() < ShutdownTest.PROMPT_MILLIS, () -> "took " + r.millis() + " ms: " + r.describe());
        String seen = Files.exists(file) ? Files.readString(file).strip() : "no file: Python was not finalised";
        assertEquals("1000", seen, () -> "tasks not cancelled at exit: " + r.describe());
        assertEquals("1001", r.value("java-futures-cancelled"), r::describe);
        assertEquals("true", r.value("java-side-cancelled"), r::describe);
        assertEquals("true", r.value("all-cancelled"), r::describe); // the stubborn task's too, once the loop gave up on it
        if (mode.equals("pending")) {
            assertTrue(r.stderr().contains("Python finalized"), () -> "Python was not finalised: " + r.describe());
        } else {
            // A task that swallows its cancellation keeps running on the loop's thread after the loop
            // gave up on it (1 s). Finalisation then usually completes, but on CPython 3.13.0 CI once
            // saw Py_FinalizeEx not finish within the exit gate's bound (atexit had run, the tasks
            // were cancelled): the bounded exit is the guarantee here, prompt and without a crash.
            assertTrue(r.stderr().contains("Python finalized") || r.stderr().contains("did not finish within"),
                    () -> "neither finalised nor the bounded exit: " + r.describe());
        }
    }
}
