package dev.pyjama.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pyjama as a person uses it: jshell with the startup script, and the embedded console
 * ({@code java -jar pyjama.jar}) through pipes and through a real terminal (tmux). Each runs the
 * built jar in a new process, against the interpreter under test.
 */
class UsageTest {

    private static final Path JAR = Path.of("target", "pyjama.jar").toAbsolutePath();
    private static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");

    @BeforeAll
    static void needsTheJar() {
        Assumptions.assumeTrue(Files.isRegularFile(JAR),
                "target/pyjama.jar is not built (bin/test builds it with mvn package before testing)");
    }

    /** The interpreter under test, and the ABI mode of the run, passed to child processes. */
    private static List<String> pythonProperty() {
        List<String> props = new ArrayList<>();
        String python = System.getProperty("pyjama.python", "");
        if (!python.isBlank()) {
            props.add("-Dpyjama.python=" + python);
        }
        String abi = dev.pyjama.testing.PyTesting.configuredAbi();
        if (abi != null) {
            props.add("-Dpyjama.abi=" + abi);
        }
        return props;
    }

    record Result(int status, String out, String err) {}

    private static Result run(List<String> command, String stdin, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\nstdout: " + out.getNow("") + "\nstderr: " + err.getNow(""));
        }
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    private static List<String> console(String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA_BIN.resolve("java").toString(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(pythonProperty());
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void jshellWithTheStartupScriptHasAnAttachedPyAndShowsPythonOutput() throws Exception {
        Path jshell = JAVA_BIN.resolve("jshell");
        Assumptions.assumeTrue(Files.isExecutable(jshell), "this JDK has no jshell");
        List<String> cmd = new ArrayList<>(List.of(jshell.toString(), "-q", "--class-path", JAR.toString(),
                "-R--enable-native-access=ALL-UNNAMED"));
        for (String p : pythonProperty()) {
            cmd.add("-R" + p);
        }
        cmd.addAll(List.of("--startup", "DEFAULT", "--startup", Path.of("..", "jshell", "pyjama.jsh").toAbsolutePath().toString()));
        Result r = run(cmd, String.join("\n",
                "py.eval(\"1 + 1\")",
                "py.run(\"print('hello from python')\")",
                "py.eval(\"6 * 7\").toJava(long.class)",
                "/exit", ""), null);
        assertTrue(r.out().contains("==> 2"), r.out() + r.err());
        assertTrue(r.out().contains("hello from python"), "Python's print() shows in jshell: " + r.out() + r.err());
        assertTrue(r.out().contains("==> 42"), r.out() + r.err());
        assertTrue(r.out().contains("pyjama: CPython 3."), r.out());
    }

    @Test
    void consoleRunsCodeWithArgvAndPassesOnTheExitStatus() throws Exception {
        Result r = run(console("-c", "import sys; print('argv', sys.argv); raise SystemExit(7)", "a", "b"), "", null);
        assertEquals(7, r.status(), r.err());
        assertTrue(r.out().contains("argv ['-c', 'a', 'b']"), r.out());
    }

    @Test
    void consoleRunsAScriptWithItsArgumentsAndReportsErrors(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hello.py");
        Files.writeString(script, "import sys\nprint('script', sys.argv[1:])\nsys.exit('bye')\n");
        Result r = run(console(script.toString(), "x", "y"), "", dir);
        assertEquals(1, r.status());
        assertTrue(r.out().contains("script ['x', 'y']"), r.out());
        assertTrue(r.err().contains("bye"), r.err());

        Path failing = dir.resolve("fails.py");
        Files.writeString(failing, "def f():\n    raise ValueError('from script')\nf()\n");
        Result f = run(console(failing.toString()), "", dir);
        assertEquals(1, f.status());
        assertTrue(f.err().contains("ValueError: from script") && f.err().contains("Traceback"), f.err());
    }

    @Test
    void consoleRunsAModule(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("greet.py"), "import sys\nif __name__ == '__main__':\n    print('module', sys.argv)\n");
        Result r = run(console("-m", "greet", "z"), "", dir);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("module ['") && r.out().contains("'z']"), r.out());
    }

    @Test
    void interactiveConsoleThroughAPipe() throws Exception {
        Result r = run(console(), "x = 6 * 7\nprint(x)\nimport sys; sys.exit(3)\n", null);
        assertEquals(3, r.status(), r.err());
        assertTrue(r.out().contains("42"), r.out());
        assertTrue(r.err().contains("pyjama: CPython 3."), "the console prints Python.info() on start: " + r.err());
    }

    @Test
    void interactiveConsoleInARealTerminalWithTabCompletion() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed");
        String session = "pyjama-test-" + ProcessHandle.current().pid();
        String command = String.join(" ", console().stream().map(UsageTest::shellQuote).toList());
        try {
            tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", command);
            waitForPane(session, ">>>"); // capture-pane trims the trailing space of the prompt
            tmux("send-keys", "-t", session, "import math", "Enter");
            tmux("send-keys", "-t", session, "math.factor", "Tab");
            waitForPane(session, "math.factorial(");
            tmux("send-keys", "-t", session, "5)", "Enter");
            waitForPane(session, "120");
            tmux("send-keys", "-t", session, "exit()", "Enter");
        } finally {
            new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "tmux " + List.of(args) + ": " + out);
    }

    private static void waitForPane(String session, String text) throws Exception {
        String pane = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).start();
            pane = read(p.getInputStream());
            p.waitFor(10, TimeUnit.SECONDS);
            if (pane.contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the terminal never showed " + text + ":\n" + pane);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
