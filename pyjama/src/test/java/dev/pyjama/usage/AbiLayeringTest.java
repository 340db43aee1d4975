package dev.pyjama.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the design, checked on the sources: only the abi layer binds C functions,
 * touches the generated bindings or reads CPython's memory, and it depends on nothing above it;
 * the runtime above it (discovery, boot, threads, scopes, release queue, upcalls, exit) depends on
 * the abi layer only, never on the public API, the conversions or the bridge between them.
 */
class AbiLayeringTest {

    private static final Path MAIN = Path.of("src/main/java/dev/pyjama");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static boolean inAbi(Path p) {
        return MAIN.relativize(p).startsWith(Path.of("internal/abi"));
    }

    private static String code(Path p) throws IOException {
        // Comments may name anything; only code counts.
        return Files.readString(p).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    @Test
    void onlyTheAbiLayerBindsCFunctionsOrReadsPythonObjects() throws IOException {
        // Argument arrays and out-parameters are pyjama's own scratch memory, which any layer may fill;
        // what is checked is where C functions are bound and CPython's memory is read.
        Pattern native_ = Pattern.compile("\\b(dev\\.pyjama\\.ffi|Linker|SymbolLookup|downcallHandle|Native\\.ALL"
                + "|_Py\\w+Struct|ob_refcnt|ob_type)\\b");
        Set<String> offenders = new TreeSet<>();
        for (Path p : sources()) {
            if (inAbi(p)) {
                continue;
            }
            Matcher m = native_.matcher(code(p));
            while (m.find()) {
                offenders.add(MAIN.relativize(p) + ": " + m.group(1));
            }
        }
        // Upcalls are the other direction (C calling Java): they build upcall stubs, a job of their own.
        offenders.removeIf(o -> o.startsWith("internal/runtime/Upcalls.java") && o.endsWith("Linker"));
        assertEquals(Set.of(), offenders, "C bindings and memory reads outside dev.pyjama.internal.abi");
    }

    @Test
    void theAbiLayerDependsOnNothingAboveIt() throws IOException {
        Pattern upward = Pattern.compile("\\bimport (?:static )?(dev\\.pyjama\\.(?!internal\\.abi\\.|ffi\\.)[\\w.]+)");
        Set<String> offenders = new TreeSet<>();
        for (Path p : sources()) {
            if (!inAbi(p)) {
                continue;
            }
            String code = code(p);
            Matcher m = upward.matcher(code);
            while (m.find()) {
                offenders.add(MAIN.relativize(p) + " imports " + m.group(1));
            }
            if (code.matches("(?s).*\\bdev\\.pyjama\\.(?!internal\\.abi\\b|ffi\\b)\\w.*")) {
                offenders.add(MAIN.relativize(p) + " names a class above the abi layer");
            }
        }
        assertEquals(Set.of(), offenders);
    }

    /** Outside the abi layer, C is called only through facade methods whose names carry ownership. */
    @Test
    void noRawSymbolCallsOutsideTheFacades() throws IOException {
        Set<String> allowed = Set.of();
        Set<String> found = new TreeSet<>();
        for (Path p : sources()) {
            if (!inAbi(p) && code(p).matches("(?s).*\\b(Symbol|Native)\\.\\w.*")) {
                found.add(MAIN.relativize(p).toString());
            }
        }
        assertEquals(allowed, found, "raw C calls outside the facades");
    }

    private static boolean inRuntime(Path p) {
        return MAIN.relativize(p).startsWith(Path.of("internal/runtime"));
    }

    /**
     * The exceptions the runtime throws for its own failures (no Python object inside them): a
     * start that fails, an interrupt, an attach while the JVM shuts down. Every other public type is
     * above the runtime.
     */
    private static final Set<String> RUNTIME_EXCEPTIONS = Set.of(
            "dev.pyjama.exceptions.PythonStartupException",
            "dev.pyjama.exceptions.PythonInterruptedException",
            "dev.pyjama.exceptions.PyPythonFinalizationError");

    @Test
    void theRuntimeDependsOnTheAbiLayerOnly() throws IOException {
        Pattern imported = Pattern.compile("\\bimport (?:static )?(dev\\.pyjama\\.[\\w.]+)");
        Pattern named = Pattern.compile("\\b(dev\\.pyjama\\.(?!internal\\.abi\\.|internal\\.runtime\\.)[\\w.]*[A-Z]\\w*)");
        Set<String> offenders = new TreeSet<>();
        int runtimeFiles = 0;
        for (Path p : sources()) {
            if (!inRuntime(p)) {
                continue;
            }
            runtimeFiles++;
            String code = code(p);
            Matcher m = imported.matcher(code);
            while (m.find()) {
                String name = m.group(1);
                if (!name.startsWith("dev.pyjama.internal.abi.") && !name.startsWith("dev.pyjama.internal.runtime.")
                        && !RUNTIME_EXCEPTIONS.contains(name)) {
                    offenders.add(MAIN.relativize(p) + " imports " + name);
                }
            }
            Matcher n = named.matcher(code.replaceAll("(?m)^import .*$", "").replaceAll("^package .*", ""));
            while (n.find()) {
                if (!RUNTIME_EXCEPTIONS.contains(n.group(1))) {
                    offenders.add(MAIN.relativize(p) + " names " + n.group(1));
                }
            }
        }
        assertTrue(runtimeFiles >= 10, "runtime sources not found: " + runtimeFiles);
        assertEquals(Set.of(), offenders, "the runtime reaches above the abi layer");
    }
}
