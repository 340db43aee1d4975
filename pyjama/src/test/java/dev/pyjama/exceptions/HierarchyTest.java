package dev.pyjama.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.pyjama.internal.BuiltinExceptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the Java exception classes against the built-in exceptions of a real Python, without
 * loading libpython: a {@code python3} subprocess lists each built-in exception with its bases.
 */
class HierarchyTest {

    private static final String SCRIPT = String.join("\n",
            "import builtins",
            "seen = set()",
            "for c in vars(builtins).values():",
            "    if isinstance(c, type) and issubclass(c, BaseException) and c not in seen:",
            "        seen.add(c)",
            "        if not c.__name__.startswith('_'):",
            "            print(c.__name__, *[b.__name__ for b in c.__bases__])",
            "");

    /** Python name to the names of its {@code __bases__}, in order. */
    private static Map<String, List<String>> builtins;

    @BeforeAll
    static void listPythonBuiltins() throws IOException, InterruptedException {
        String python = System.getProperty("pyjama.python");
        if (python == null || python.isBlank()) {
            python = "python3";
        }
        String file = Path.of(python).getFileName().toString();
        assumeFalse(file.startsWith("libpython") || file.endsWith(".so") || file.contains(".so.")
                        || file.endsWith(".dylib") || file.endsWith(".dll"),
                "pyjama.python names a shared library (" + python + "), not an executable");
        Process p = new ProcessBuilder(python, "-I", "-c", SCRIPT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), python + " did not finish");
        assertEquals(0, p.exitValue(), python + " failed");
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String line : out.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            map.put(parts[0], List.of(parts).subList(1, parts.length));
        }
        assertTrue(map.containsKey("BaseException") && map.containsKey("ValueError"),
                "unexpected output from " + python + ": " + out);
        builtins = map;
    }

    @Test
    void everyPythonBuiltinHasItsJavaClassInPythonsHierarchy() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : builtins.entrySet()) {
            String name = e.getKey();
            PyBaseException ex = BuiltinExceptions.create(name, "m");
            if (ex == null) {
                failures.add(name + ": no Java class");
                continue;
            }
            Class<?> cls = ex.getClass();
            if (!cls.getSimpleName().equals("Py" + name)) {
                failures.add(name + ": created " + cls.getName());
                continue;
            }
            if (name.equals("BaseException") || name.equals("ExceptionGroup")) {
                continue; // the root and the two-base special case are checked separately
            }
            String base = e.getValue().get(0);
            Class<?> sup = cls.getSuperclass();
            if (!sup.getSimpleName().equals("Py" + base)
                    || sup.getPackage() != PyBaseException.class.getPackage()) {
                failures.add(name + ": Java superclass " + sup.getName() + ", Python base " + base);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void namesRoundTrip() {
        for (String name : builtins.keySet()) {
            PyBaseException ex = BuiltinExceptions.create(name, "m");
            assertNotNull(ex, name);
            assertEquals(name, BuiltinExceptions.pythonName(ex.getClass()), name);
        }
    }

    @Test
    void javaCreatedExceptionsReadAsPythonPrintsThem() {
        for (String name : builtins.keySet()) {
            PyBaseException ex = BuiltinExceptions.create(name, "m");
            assertNotNull(ex, name);
            assertEquals(name, ex.pythonTypeName(), name);
            assertEquals(name + ": m", ex.getMessage(), name);
            assertEquals("m", ex.pythonMessage(), name);
            assertFalse(ex.value().isPresent(), name);
        }
    }

    @Test
    void exceptionGroupIsAnExceptionInJava() {
        List<String> bases = builtins.get("ExceptionGroup");
        if (bases == null) {
            assertFalse(builtins.containsKey("BaseExceptionGroup"));
            return; // Python 3.10: no exception groups
        }
        assertEquals(List.of("BaseExceptionGroup", "Exception"), bases);
        assertEquals(List.of("BaseException"), builtins.get("BaseExceptionGroup"));
        assertSame(PyException.class, PyExceptionGroup.class.getSuperclass());
        assertSame(PyBaseException.class, PyBaseExceptionGroup.class.getSuperclass());
        assertTrue(BuiltinExceptions.create("ExceptionGroup", "m") instanceof PyException);
    }

    @Test
    void aliasesAreOSError() {
        assertSame(PyOSError.class, BuiltinExceptions.create("EnvironmentError", "m").getClass());
        assertSame(PyOSError.class, BuiltinExceptions.create("IOError", "m").getClass());
        assertEquals("OSError", BuiltinExceptions.create("IOError", "m").pythonTypeName());
        assertNull(BuiltinExceptions.create("NoSuchError", "m"));
        assertNull(BuiltinExceptions.create("object", "m"));
        assertNull(BuiltinExceptions.create("int", "m"));
    }

    @Test
    void sealedHierarchyMatchesPython() {
        for (Class<?> cls : javaExceptionClasses()) {
            String name = cls.getSimpleName().substring(2);
            Class<?>[] permitted = cls.getPermittedSubclasses();
            if (permitted == null) {
                assertTrue(java.lang.reflect.Modifier.isFinal(cls.getModifiers()),
                        cls + " is neither sealed nor final");
                continue;
            }
            TreeSet<String> javaChildren = new TreeSet<>();
            for (Class<?> c : permitted) {
                javaChildren.add(c.getSimpleName().substring(2));
            }
            TreeSet<String> pythonChildren = new TreeSet<>();
            for (Map.Entry<String, List<String>> e : builtins.entrySet()) {
                String pyBase = e.getKey().equals("ExceptionGroup")
                        ? "Exception" // Java's primary base for the two-base special case
                        : e.getValue().get(0);
                if (pyBase.equals(name)) {
                    pythonChildren.add(e.getKey());
                }
            }
            // Java may know built-ins that this Python version lacks, never the other way round.
            assertTrue(javaChildren.containsAll(pythonChildren),
                    cls.getSimpleName() + " permits " + javaChildren
                            + ", Python has " + pythonChildren);
        }
    }

    @Test
    void javaHasNoExtraClasses() {
        List<Class<? extends PyBaseException>> classes = javaExceptionClasses();
        assertTrue(classes.size() >= builtins.size(), classes.size() + " classes");
        List<String> unknown = new ArrayList<>();
        for (Class<? extends PyBaseException> cls : classes) {
            if (JAVA_ONLY.contains(cls)) {
                continue;
            }
            String name = BuiltinExceptions.pythonName(cls);
            if (name == null || !cls.getSimpleName().equals("Py" + name)) {
                unknown.add(cls.getName());
            } else if (!builtins.containsKey(name) && !LATER_OR_EARLIER.contains(name)) {
                unknown.add(cls.getName() + " (not a built-in of this Python)");
            }
            if (name != null) {
                assertSame(cls, BuiltinExceptions.create(name, "m").getClass(), name);
            }
        }
        assertTrue(unknown.isEmpty(), "Java classes with no Python built-in: " + unknown);
    }

    /** Java-side refinements of a built-in, with no Python class of their own. */
    private static final List<Class<?>> JAVA_ONLY = List.of(PythonInterruptedException.class);

    /** Built-ins of some supported Python (3.10 to 3.13) that another one lacks. */
    private static final List<String> LATER_OR_EARLIER =
            List.of("BaseExceptionGroup", "ExceptionGroup", "PythonFinalizationError");

    /**
     * Every exception class of the package, found from {@link PyBaseException} down through the
     * sealed hierarchy's permitted subclasses, cross-checked with the package's class files when
     * they are in a directory.
     */
    private static List<Class<? extends PyBaseException>> javaExceptionClasses() {
        List<Class<? extends PyBaseException>> found = new ArrayList<>();
        List<Class<?>> todo = new ArrayList<>(List.of(PyBaseException.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(todo.size() - 1);
            found.add(c.asSubclass(PyBaseException.class));
            Class<?>[] permitted = c.getPermittedSubclasses();
            if (permitted != null) {
                todo.addAll(List.of(permitted));
            }
        }
        TreeSet<String> reachable = new TreeSet<>();
        for (Class<?> c : found) {
            reachable.add(c.getSimpleName());
        }
        TreeSet<String> onDisk = classFilesOfPackage();
        if (onDisk != null) {
            onDisk.removeAll(reachable);
            List<String> stray = new ArrayList<>();
            for (String simple : onDisk) {
                try {
                    Class<?> c = Class.forName(
                            PyBaseException.class.getPackageName() + "." + simple);
                    if (PyBaseException.class.isAssignableFrom(c)) {
                        stray.add(simple);
                    }
                } catch (ClassNotFoundException e) {
                    stray.add(simple + " (" + e + ")");
                }
            }
            assertTrue(stray.isEmpty(), "exception classes outside the sealed hierarchy: " + stray);
        }
        return found;
    }

    /**
     * Simple names of the top-level classes in the package's directory, or null when the package
     * is not loaded from a directory (a jar, say).
     */
    private static TreeSet<String> classFilesOfPackage() {
        try {
            var url = PyBaseException.class.getResource("PyBaseException.class");
            if (url == null || !url.getProtocol().equals("file")) {
                return null;
            }
            Path dir = Path.of(url.toURI()).getParent();
            TreeSet<String> names = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".class") && !f.contains("$"))
                        .forEach(f -> names.add(f.substring(0, f.length() - ".class".length())));
            }
            return names;
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
