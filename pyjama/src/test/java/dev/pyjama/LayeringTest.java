package dev.pyjama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layering rules of DESIGN.md and STYLE.md, checked on the sources (no Python needed). */
class LayeringTest {

    private static final Path MAIN = Path.of("src", "main", "java");

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void onlyInternalImportsTheGeneratedBindings() throws IOException {
        Path internal = MAIN.resolve("dev/pyjama/internal");
        Pattern ffi = Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?dev\\.pyjama\\.ffi\\.|\\bdev\\.pyjama\\.ffi\\.[A-Z]");
        List<Path> all = sources(MAIN);
        assertTrue(all.size() > 10, "sources not found under " + MAIN.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        for (Path f : all) {
            if (f.startsWith(internal)) {
                continue;
            }
            if (ffi.matcher(Files.readString(f)).find()) {
                offenders.add(f.toString());
            }
        }
        assertTrue(offenders.isEmpty(), "outside dev.pyjama.internal but using dev.pyjama.ffi: " + offenders);
    }

    /**
     * PyBuffer's segment is a view of data memory (the buffer protocol's {@code buf}), which the
     * design asks for ("PyBuffer with a MemorySegment view"); no public member exposes a segment
     * that points at a Python object. PyCapsules' segments are the C structs a capsule carries
     * (the documented escape hatch for bridges such as the Arrow PyCapsule interface), not Python
     * objects either.
     */
    private static final Set<String> DATA_VIEWS = Set.of("PyBuffer.java", "PyCapsules.java");

    @Test
    void publicApiDoesNotExposeMemorySegments() throws IOException {
        Pattern publicSegment = Pattern.compile("(?m)^\\s*public\\s[^;{=]*\\bMemorySegment\\b");
        List<String> offenders = new ArrayList<>();
        for (String pkg : List.of("dev/pyjama", "dev/pyjama/exceptions")) {
            try (Stream<Path> s = Files.list(MAIN.resolve(pkg))) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (!DATA_VIEWS.contains(f.getFileName().toString()) && publicSegment.matcher(Files.readString(f)).find()) {
                        offenders.add(f.toString());
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), "public members with MemorySegment: " + offenders);
    }

    /** Abstract classes whose whole point is anonymous subclassing (Guava/Jackson-style type tokens). */
    private static final Set<String> TYPE_TOKENS = Set.of("dev.pyjama.TypeRef");

    @Test
    void publicClassesAreFinalOrSealed() throws IOException, ClassNotFoundException {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (String pkg : List.of("dev/pyjama", "dev/pyjama/exceptions")) {
            try (Stream<Path> s = Files.list(MAIN.resolve(pkg))) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    String name = f.getFileName().toString().replace(".java", "");
                    if (name.equals("package-info")) {
                        continue;
                    }
                    String src = Files.readString(f);
                    if (src.matches("(?s).*\\bnon-sealed\\b.*")) {
                        offenders.add(name + " (non-sealed)");
                    }
                    Class<?> c = Class.forName(pkg.replace('/', '.') + "." + name);
                    if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                        continue;
                    }
                    if (c.isInterface() && !c.isSealed() && !c.isAnnotation()) {
                        continue; // an SPI interface (PyConverter, JavaCallable) is meant to be implemented
                    }
                    if (c.isAnnotation()) {
                        continue; // an annotation type (PyExport) can be neither final nor sealed
                    }
                    if (TYPE_TOKENS.contains(c.getName())) {
                        continue; // a super type token must be subclassed anonymously: new TypeRef<List<String>>() {}
                    }
                    checked++;
                    boolean ok = java.lang.reflect.Modifier.isFinal(c.getModifiers()) || c.isSealed()
                            || (c.isInterface() && c.isSealed()) || c.isRecord() || c.isEnum();
                    if (!ok) {
                        offenders.add(c.getName());
                    }
                }
            }
        }
        assertTrue(checked > 20, "only " + checked + " public classes found");
        assertTrue(offenders.isEmpty(), "public classes neither final nor sealed: " + offenders);
    }

    @Test
    void moduleInfoExportsExactlyThePublicPackages() throws IOException {
        String src = Files.readString(MAIN.resolve("module-info.java"));
        String code = src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher m = Pattern.compile("\\bexports\\s+([\\w.]+)\\s*(to\\s[^;]*)?;").matcher(code);
        Set<String> exported = new TreeSet<>();
        while (m.find()) {
            exported.add(m.group(1));
            assertEquals(null, m.group(2), "qualified export: " + m.group());
        }
        assertEquals(new TreeSet<>(Set.of("dev.pyjama", "dev.pyjama.exceptions", "dev.pyjama.ffi")), exported);
        assertTrue(code.contains("module dev.pyjama"), code);
        assertTrue(!code.contains("opens "), "module-info opens packages: " + code);
    }
}
