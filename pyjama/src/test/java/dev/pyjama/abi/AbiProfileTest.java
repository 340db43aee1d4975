package dev.pyjama.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import dev.pyjama.PythonInfo;
import dev.pyjama.internal.runtime.Interpreter;
import dev.pyjama.internal.abi.AbiProfile;
import org.junit.jupiter.api.Test;

/**
 * Pins the ABI profile pyjama chooses for each CPython it runs on: which shortcuts are verified
 * for which version and build, and that everything else, or a request for it, is portable.
 */
class AbiProfileTest {

    private static int minor(String version) {
        return Integer.parseInt(version.split("\\.")[1]);
    }

    @Test
    void theRunningCPythonGetsTheProfilePinnedForItsVersionAndBuild() {
        PythonInfo info = Python.info();
        AbiProfile p = Python.attach(py -> Interpreter.get().profile());
        int minor = minor(info.version());
        assertEquals(minor, p.minor());
        assertEquals(info.freeThreaded(), p.freeThreaded());
        assertEquals(p.describe(), info.abi(), "Python.info() shows the profile");
        if ("portable".equals(System.getProperty("pyjama.abi"))) {
            assertTrue(p.portable(), p.describe());
            assertTrue(p.reason().contains("asked for"), p.reason());
        } else if (info.freeThreaded()) {
            assertEquals(minor == 13, !p.portable(), "free-threaded 3.13 is verified, other free-threaded builds are not: "
                    + p.describe());
            if (!p.portable()) {
                assertEquals(24, p.typeOffset(), "ob_type follows ob_tid, the flags and local count, and ob_ref_shared");
                assertFalse(p.inlineRefCounts(), "free-threaded counts are atomic and split in two: never changed in Java");
                assertTrue(p.compactInts() && p.exactFloats() && p.compactStrs(), p.describe());
                assertTrue(p.stackGuard());
            }
        } else if (minor <= 14) {
            assertFalse(p.portable(), p.describe());
            assertEquals(8, p.typeOffset());
            // 3.14 encodes immortality differently: counts there go through Py_IncRef/Py_DecRef.
            assertEquals(minor <= 13, p.inlineRefCounts(), p.describe());
            assertTrue(p.compactInts() && p.exactFloats() && p.compactStrs(), "every value probe passes: " + p.describe());
            // 3.14 bounds recursion by the real C stack; before it, the budget is fitted to the thread's stack.
            assertEquals(minor <= 13, p.stackGuard(), p.describe());
        } else {
            assertTrue(p.portable(), "a CPython newer than the verified ones runs portable: " + p.describe());
        }
        if (p.portable()) {
            assertEquals(0, p.typeOffset());
            assertFalse(p.inlineRefCounts() || p.compactInts() || p.exactFloats() || p.compactStrs());
            // Kept as a safety measure where CPython bounds C recursion by a count, not the real stack.
            assertEquals(minor <= 13, p.stackGuard(), p.describe());
        }
    }

    @Test
    void versionsAndBuildsNotVerifiedStartPortable() {
        // The choice before the probes, as a newer or an unverified build would get it (no property set here
        // unless the whole suite runs portable, which makes every profile portable).
        boolean forced = "portable".equals(System.getProperty("pyjama.abi"));
        AbiProfile future = AbiProfile.initial("3.15.0a2", 15, false);
        assertTrue(future.portable());
        assertTrue(future.reason().contains(forced ? "asked for" : "not among the builds"), future.reason());
        assertTrue(AbiProfile.initial("3.14.3", 14, true).portable(), "free-threaded 3.14 was not verified here");
        assertEquals(!forced, !AbiProfile.initial("3.12.1", 12, false).portable());
        assertEquals(!forced, !AbiProfile.initial("3.13.15", 13, true).portable());
    }
}
