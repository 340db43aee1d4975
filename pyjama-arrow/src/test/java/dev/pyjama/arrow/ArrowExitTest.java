package dev.pyjama.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * A JVM that exported Arrow data to consumers which called back from threads of their own exits.
 *
 * <p>The hang this guards against: duckdb scans a Python object through pyarrow's dataset scanner,
 * whose libarrow pool threads called the exported stream's and arrays' callbacks; when those were
 * FFM upcalls, the JVM attached each such thread, to detach it only from a TLS destructor when the
 * thread ends. libarrow ends its pool in a static destructor that libc runs in {@code exit()} on the
 * VM thread; the ending thread's detach waited for the VM exit to finish, and the VM exit for the
 * join: the process never ended (CI's pyjama-arrow leg never finished).
 */
class ArrowExitTest {

    private static final int TIMEOUT_SECONDS = 60;

    @Test
    void aJvmWhoseExportsWereReleasedOnForeignThreadsExits() throws Exception {
        Packages.require("pyarrow");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        cmd.add("-Xss4m");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        for (String p : new String[] {"pyjama.python", "pyjama.abi"}) {
            String v = System.getProperty(p);
            if (v != null && !v.isEmpty()) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add(Child.class.getName());
        File out = Files.createTempFile("arrow-exit", ".log").toFile();
        out.deleteOnExit();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        boolean ended = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String log = Files.readString(out.toPath());
        assertTrue(ended, "the child JVM did not exit within " + TIMEOUT_SECONDS + " s of System.exit:\n" + log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("child done"), log);
    }

    /**
     * Exports Java tables to duckdb (when installed) and to pyarrow's dataset scanner, both of which
     * read them on libarrow's or duckdb's own threads, then exits with {@code System.exit} as a test
     * runner's fork does.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            boolean duckdb = Packages.has("duckdb");
            var allocator = new RootAllocator(); // left open: the VM exits with it
            try (var py = Python.attach()) {
                py.run("import pyarrow as pa, pyarrow.dataset as ds");
                PyObject main = py.importModule("__main__");
                for (int i = 0; i < 20; i++) {
                    try (var root = ArrowPackagesTest.javaTable(allocator, 1000); var scope = Python.attach()) {
                        main.setAttr("jt", Arrow.toPython(scope, root));
                        long n = scope.eval("ds.Scanner.from_batches(pa.RecordBatchReader.from_stream(jt)).to_table().num_rows")
                                .toJava(Long.class);
                        if (n != 1000) {
                            throw new AssertionError(n + " rows");
                        }
                        if (duckdb) {
                            scope.eval("__import__('duckdb').sql('select sum(a) from jt').fetchone()");
                        }
                        scope.run("del jt");
                    }
                }
            }
            System.out.println("child done (duckdb " + duckdb + ")");
            System.out.flush();
            System.exit(0);
        }
    }
}
