package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.testing.ForkedJvm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Python threads and Java threads change a dict and a list while Java threads convert them
 * ({@code toJava(Map.class)}, {@code toJava(List.class)}, arrays, the natural conversion,
 * {@code PyDict.toMap}, {@code PyList.toList}) and iterate them ({@code PyDict.asMap()}, Python's
 * own iteration of {@code PyDict} and {@code PyList} handles, plain and inside
 * {@code py.criticalSection}). No crash, and no torn copy: every copy must be a state the changers
 * can leave the containers in ({@link SyncScenarios.ContainerRace} says which). On a free-threaded
 * build nothing but the containers' own locks orders the threads; with the GIL it is the GIL. In a
 * forked JVM: a torn read can be a crash.
 */
class ContainerRaceTest {

    @Test
    void readersSeeOnlyStatesTheChangersLeave() {
        ForkedJvm.Result r = ForkedJvm.of(SyncScenarios.class).withPythonUnderTest().timeout(120)
                .args("container-race", "4").run();
        System.out.println("[ContainerRaceTest] " + String.join(", ", r.stdout().lines()
                .filter(l -> l.startsWith("python=") || l.startsWith("pythonChanges=") || l.startsWith("javaChanges=")
                        || l.startsWith("dictIteration") || l.startsWith("torn="))
                .toList()));
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stderr().contains("Fatal Python error"), r.describe());
        assertEquals("0", r.value("problems"), r.describe());
        assertEquals("0", r.value("torn"), r.describe());
        // the race was real: every changer made progress and every way of reading ran many times
        long[] pythonChanges = Arrays.stream(r.value("pythonChanges").replaceAll("[\\[\\] ]", "").split(","))
                .mapToLong(Long::parseLong).toArray();
        assertEquals(4, pythonChanges.length, r.describe());
        for (long c : pythonChanges) {
            assertTrue(c > 100, "a Python changer made only " + c + " changes\n" + r.describe());
        }
        assertTrue(Long.parseLong(r.value("javaChanges")) > 20, r.describe());
        for (String kind : SyncScenarios.ContainerRace.KINDS) {
            long n = Long.parseLong(r.value("reads." + kind.replace(' ', '_')));
            assertTrue(n >= 10, kind + " ran only " + n + " times\n" + r.describe());
        }
    }
}
