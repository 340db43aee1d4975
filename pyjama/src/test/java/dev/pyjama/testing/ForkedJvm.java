package dev.pyjama.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a fresh JVM (one CPython per process) running a main class from the test class path,
 * with a chosen environment and system properties, and collects its exit code and output.
 */
public final class ForkedJvm {

    private final Class<?> mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> sysProps = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> envRemoved = new ArrayList<>();
    private boolean clearEnv;
    private int timeoutSeconds = 60;

    private ForkedJvm(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    /** A JVM that will run {@code mainClass}. */
    public static ForkedJvm of(Class<?> mainClass) {
        return new ForkedJvm(mainClass);
    }

    /** Adds program arguments. */
    public ForkedJvm args(String... a) {
        args.addAll(List.of(a));
        return this;
    }

    /** Sets a system property of the child ({@code -Dname=value}). */
    public ForkedJvm sysProp(String name, String value) {
        sysProps.put(name, value);
        return this;
    }

    /** Runs the child on the CPython under test ({@code -Dpyjama.python}) and in its ABI mode ({@code -Dpyjama.abi}). */
    public ForkedJvm withPythonUnderTest() {
        String python = PyTesting.configuredPython();
        if (python != null) {
            sysProp("pyjama.python", python);
        }
        String abi = System.getProperty("pyjama.abi");
        if (abi != null && !abi.isEmpty()) {
            sysProp("pyjama.abi", abi); // the child runs in the same ABI mode as the suite
        }
        return this;
    }

    /** Sets an environment variable of the child. */
    public ForkedJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Removes an inherited environment variable from the child. */
    public ForkedJvm unsetEnv(String name) {
        envRemoved.add(name);
        return this;
    }

    /** Starts the child with an empty environment (plus what {@link #env} sets). */
    public ForkedJvm clearEnv() {
        clearEnv = true;
        return this;
    }

    /** The child is killed, and the run fails, after this many seconds. */
    public ForkedJvm timeout(int seconds) {
        timeoutSeconds = seconds;
        return this;
    }

    /** Runs the child to completion. */
    public Result run() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xss4m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        String abi = PyTesting.configuredAbi();
        if (abi != null && !sysProps.containsKey("pyjama.abi")) {
            cmd.add("-Dpyjama.abi=" + abi); // the leg's ABI mode, unless the test chose one
        }
        for (Map.Entry<String, String> e : sysProps.entrySet()) {
            cmd.add("-D" + e.getKey() + "=" + e.getValue());
        }
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> childEnv = pb.environment();
        if (clearEnv) {
            childEnv.clear();
        }
        // The parent's test runs may set these; a child sees only what the test chose.
        childEnv.remove("PYJAMA_PYTHON");
        childEnv.remove("VIRTUAL_ENV");
        for (String name : envRemoved) {
            childEnv.remove(name);
        }
        childEnv.putAll(env);
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
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("forked JVM " + cmd + " did not finish within " + timeoutSeconds
                        + " s; stdout:\n" + out.getNow("") + "\nstderr:\n" + err.getNow(""));
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<read failed: " + e + ">";
            }
        }, r -> {
            Thread t = new Thread(r, "forked-jvm-reader");
            t.setDaemon(true);
            t.start();
        });
    }

    /** What the child did. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The value of the first stdout line {@code key=value}, or null. */
        public String value(String key) {
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }

        /** Everything, for assertion messages. */
        public String describe() {
            return "exit " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }
}
