package dev.pyjama.usage;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.testing.ForkedJvm;
import dev.pyjama.testing.ProbeMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken choices of interpreter fail with a message that says what was found and what to do:
 * a CPython built without a shared library, and a "libpython" that is not a loadable library
 * (as a wrong-architecture one is not).
 */
class BrokenEnvironmentTest {

    private static ForkedJvm.Result startWith(String python) {
        return ForkedJvm.of(ProbeMain.class).args("info").sysProp("pyjama.python", python).timeout(60).run();
    }

    @Test
    void aStaticBuildIsRefusedWithTheFix(@TempDir Path dir) throws Exception {
        // A stand-in python that answers pyjama's questions as a static 3.12 build would.
        Path fake = dir.resolve("python3");
        Files.writeString(fake, String.join("\n",
                "#!/bin/sh",
                "echo version=3.12.4",
                "echo executable=" + fake,
                "echo prefix=" + dir,
                "echo base_prefix=" + dir,
                "echo LIBDIR=" + dir.resolve("lib"),
                "echo LDLIBRARY=libpython3.12.a",
                "echo INSTSONAME=libpython3.12.a",
                "echo MULTIARCH=x86_64-linux-gnu",
                "echo LIBPL=" + dir.resolve("lib"),
                "echo Py_ENABLE_SHARED=0",
                "echo Py_GIL_DISABLED=0",
                ""));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ForkedJvm.Result r = startWith(fake.toString());
        assertNotEquals(0, r.exitCode(), r.describe());
        String out = r.stdout() + r.stderr();
        assertTrue(out.contains("PythonStartupException"), r.describe());
        assertTrue(out.contains("built without --enable-shared"), r.describe());
        assertTrue(out.contains("PYTHON_CONFIGURE_OPTS=--enable-shared"), "says what to do: " + r.describe());
        assertTrue(out.contains(fake.toString()), "names what was found: " + r.describe());
    }

    @Test
    void aLibraryThatCannotBeLoadedIsReportedWithTheLoadersReason(@TempDir Path dir) throws Exception {
        Path lib = dir.resolve("lib").resolve("libpython3.12.so.1.0");
        Files.createDirectories(lib.getParent());
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        ForkedJvm.Result r = startWith(lib.toString());
        assertNotEquals(0, r.exitCode(), r.describe());
        String out = r.stdout() + r.stderr();
        assertTrue(out.contains("pyjama could not load " + lib), r.describe());
        assertTrue(out.contains("CPython 3.12"), "says what was found: " + r.describe());
    }
}
