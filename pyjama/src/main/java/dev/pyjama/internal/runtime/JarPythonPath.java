package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Strings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Python code shipped in jars: every {@value #ROOT} folder on the class path (a project's
 * {@code src/main/python}, which pyjama's Maven plugin packages there) is appended to
 * {@code sys.path} when Python starts, so its modules import with no set-up.
 *
 * <p>Read in place, not extracted: a folder (classes run from {@code target/classes}) is put on
 * {@code sys.path} as it is, and a folder inside a jar file as {@code /path/app.jar/META-INF/python},
 * which Python's own {@code zipimport} reads (source and bytecode; compiled extension modules cannot
 * be imported from a zip, and zipimport writes no {@code .pyc}, so each start compiles the modules it
 * imports). A jar nested in another (a Spring Boot fat jar) is not a file Python can open: such
 * entries are skipped, and the README says to unpack them. Appended rather than prepended, so that a
 * jar cannot shadow the standard library or site-packages by accident.
 */
public final class JarPythonPath {

    /** The resource folder holding a jar's Python packages. */
    public static final String ROOT = "META-INF/python";

    private JarPythonPath() {}

    /** The {@code sys.path} entries for the {@value #ROOT} folders the class loaders see. */
    public static List<String> entries() {
        Set<String> out = new LinkedHashSet<>();
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        loaders.add(JarPythonPath.class.getClassLoader() != null ? JarPythonPath.class.getClassLoader()
                : ClassLoader.getSystemClassLoader());
        for (ClassLoader loader : loaders) {
            try {
                Enumeration<URL> urls = loader.getResources(ROOT);
                while (urls.hasMoreElements()) {
                    String entry = entry(urls.nextElement());
                    if (entry != null) {
                        out.add(entry);
                    }
                }
            } catch (IOException e) {
                // an unreadable class path element: nothing of it goes on sys.path
            }
        }
        return List.copyOf(out);
    }

    /** The sys.path entry for one resource URL of the root, or null when Python cannot read it in place. */
    static String entry(URL url) {
        try {
            switch (url.getProtocol()) {
                case "file" -> {
                    Path p = Path.of(url.toURI());
                    return Files.isDirectory(p) ? p.toString() : null;
                }
                case "jar" -> {
                    String s = url.toString().substring("jar:".length());
                    int bang = s.indexOf("!/");
                    if (bang < 0 || s.indexOf("!/", bang + 2) >= 0 || !s.startsWith("file:")) {
                        return null; // nested jar or another scheme
                    }
                    Path jar = Path.of(new URI(s.substring(0, bang)));
                    String inner = s.substring(bang + 2);
                    while (inner.endsWith("/")) {
                        inner = inner.substring(0, inner.length() - 1);
                    }
                    return Files.isRegularFile(jar) ? jar + "/" + inner : null;
                }
                default -> {
                    return null;
                }
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Appends the entries to {@code sys.path}; the caller holds the GIL. Never fails the start. */
    static void install() {
        List<String> entries = entries();
        if (entries.isEmpty()) {
            return;
        }
        long sys = CApi.newImportModule("sys");
        try {
            long path = CApi.newGetAttr(sys, Names.get("path"));
            try {
                for (String e : entries) {
                    long s = Strings.newStr(e);
                    try {
                        if (!CApi.contains(path, s)) {
                            Containers.listAppend(path, s);
                        }
                    } finally {
                        CApi.decRef(s);
                    }
                }
            } finally {
                CApi.decRef(path);
            }
        } finally {
            CApi.decRef(sys);
        }
    }
}
