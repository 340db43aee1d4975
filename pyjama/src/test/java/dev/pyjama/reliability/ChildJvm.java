package dev.pyjama.reliability;

import dev.pyjama.testing.PyTesting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of the test class path in a fresh JVM, in its own working directory with its
 * own {@code -XX:ErrorFile}, so that a crash is seen as what it is: an exit code above 128 (a
 * signal), an {@code hs_err} file, or "Fatal Python error" on stderr. A child that runs past its
 * timeout gets a thread dump (SIGQUIT) before it is killed, and the dump is part of the result.
 *
 * <p>Unlike {@code testing.ForkedJvm} it takes JVM options (stack size, heap) and does not force
 * {@code -Xss4m}: the children run with the JVM's default 1 MiB thread stacks, as applications do.
 */
final class ChildJvm {

    private final Class<?> main;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private int timeoutSeconds = 60;

    private ChildJvm(Class<?> main) {
        this.main = main;
    }

    static ChildJvm of(Class<?> main) {
        return new ChildJvm(main);
    }

    ChildJvm jvmArgs(String... a) {
        jvmArgs.addAll(List.of(a));
        return this;
    }

    ChildJvm args(String... a) {
        args.addAll(List.of(a));
        return this;
    }

    ChildJvm args(List<String> a) {
        args.addAll(a);
        return this;
    }

    ChildJvm timeout(int seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    /** What the child did. */
    record Result(int exitCode, String stdout, String stderr, String hsErr, long millis, boolean timedOut) {

        /** True when nothing suggests a crash: no signal exit, no hs_err file, no fatal Python error, no timeout. */
        boolean noCrash() {
            return !timedOut && exitCode < 128 && hsErr.isEmpty() && !stderr.contains("Fatal Python error")
                    && !stdout.contains("Fatal Python error");
        }

        /** The value of the first stdout line {@code key=value}, or null. */
        String value(String key) {
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }

        String describe() {
            String err = stderr.length() > 20_000 ? stderr.substring(0, 10_000) + "\n...\n"
                    + stderr.substring(stderr.length() - 10_000) : stderr;
            String out = stdout.length() > 40_000 ? stdout.substring(0, 20_000) + "\n...\n"
                    + stdout.substring(stdout.length() - 20_000) : stdout;
            String hs = hsErr.length() > 12_000 ? hsErr.substring(0, 12_000) + "\n...(hs_err truncated)" : hsErr;
            return "exit " + exitCode + (exitCode > 128 ? " (signal " + (exitCode - 128) + ")" : "")
                    + (timedOut ? " TIMED OUT" : "") + " after " + millis + " ms\n--- stdout:\n" + out
                    + "\n--- stderr:\n" + err + (hs.isEmpty() ? "" : "\n--- hs_err:\n" + hs);
        }
    }

    Result run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("pyjama-child");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        cmd.add("-XX:-CreateCoredumpOnCrash");
        String python = PyTesting.configuredPython();
        if (python != null) {
            cmd.add("-Dpyjama.python=" + python);
        }
        String abi = System.getProperty("pyjama.abi");
        if (abi != null && !abi.isEmpty()) {
            cmd.add("-Dpyjama.abi=" + abi); // the child runs in the same ABI mode as the suite
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("PYJAMA_PYTHON");
        pb.environment().remove("VIRTUAL_ENV");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("PYTHONFAULTHANDLER");
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = readAsync(p.getInputStream());
            CompletableFuture<String> err = readAsync(p.getErrorStream());
            boolean timedOut = !p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (timedOut) {
                threadDump(p);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String o = out.get(20, TimeUnit.SECONDS);
            String e = err.get(20, TimeUnit.SECONDS);
            return new Result(p.isAlive() ? -1 : p.exitValue(), o, e, hsErr(dir), millis, timedOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError(e);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("reading the child's output failed", e);
        }
    }

    private static void threadDump(Process p) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(1500);
        } catch (IOException ignored) {
            // no dump then
        }
    }

    private static String hsErr(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList()) {
                sb.append("== ").append(f).append('\n').append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            sb.append("<cannot list ").append(dir).append(": ").append(e).append('>');
        }
        return sb.toString();
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<read failed: " + e + ">";
            }
        }, r -> {
            Thread t = new Thread(r, "child-jvm-reader");
            t.setDaemon(true);
            t.start();
        });
    }
}
