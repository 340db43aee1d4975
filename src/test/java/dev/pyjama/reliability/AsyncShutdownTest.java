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
 * coroutine awaited is cancelled in turn, and Python is still finalised, also when a task swallows
 * its cancellation.
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
        assertTrue(r.stderr().contains("Python finalized"), () -> "Python was not finalised: " + r.describe());
    }
}
