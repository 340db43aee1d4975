package dev.pyjama.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import dev.pyjama.internal.runtime.JarPythonPath;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python code shipped under META-INF/python, in a folder or a jar, imports with no set-up. */
class JarPythonPathTest {

    @TempDir
    Path tmp;

    // The start itself (JarPythonPath.install at boot) is exercised by examples/facades, which
    // imports its package from its jar; no META-INF/python folder is on the tests' own class path,
    // so that StartPathTest's count of downcall shapes on the start path stays that of a plain start.
    @Test
    void aResourceFolderIsPutOnSysPathAsItIs() throws Exception {
        Path root = tmp.resolve("classes/META-INF/python");
        Files.createDirectories(root.resolve("pyjama_shipped"));
        Files.writeString(root.resolve("pyjama_shipped/__init__.py"), "def where() -> str:\n    return __file__\n");
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {tmp.resolve("classes").toUri().toURL()}, null)) {
            var urls = java.util.Collections.list(loader.getResources(JarPythonPath.ROOT));
            assertEquals(1, urls.size(), urls.toString());
            String entry = invokeEntry(urls.get(0));
            assertEquals(root.toString(), entry);
            String where = Python.attach(py -> {
                py.importModule("sys").getAttr("path").callMethod("append", entry);
                try {
                    return py.importModule("pyjama_shipped").callMethod("where").toJava(String.class);
                } finally {
                    py.importModule("sys").getAttr("path").callMethod("remove", entry);
                }
            });
            assertTrue(where.replace('\\', '/').endsWith("META-INF/python/pyjama_shipped/__init__.py"), where);
        }
    }

    @Test
    void aJarIsReadInPlaceByZipimport() throws Exception {
        Path jar = tmp.resolve("app.jar");
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("META-INF/"));
            zip.putNextEntry(new ZipEntry("META-INF/python/"));
            zip.putNextEntry(new ZipEntry("META-INF/python/pyjama_zipped.py"));
            zip.write("def answer() -> int:\n    return 42\n".getBytes());
            zip.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            var urls = java.util.Collections.list(loader.getResources(JarPythonPath.ROOT));
            assertEquals(1, urls.size(), urls.toString());
            String entry = invokeEntry(urls.get(0));
            assertEquals(jar + "/META-INF/python", entry);
            long answer = Python.attach(py -> {
                py.importModule("sys").getAttr("path").callMethod("append", entry);
                try {
                    return py.importModule("pyjama_zipped").callMethod("answer").toJava(long.class);
                } finally {
                    py.importModule("sys").getAttr("path").callMethod("remove", entry);
                }
            });
            assertEquals(42L, answer);
        }
    }

    @Test
    void nestedJarsAndOtherSchemesAreSkipped() throws Exception {
        assertNull(invokeEntry(URI.create("jar:file:/a/outer.jar!/BOOT-INF/lib/inner.jar!/META-INF/python").toURL()));
        assertNull(invokeEntry(URI.create("jar:http://example.invalid/app.jar!/META-INF/python").toURL()));
    }

    private static String invokeEntry(java.net.URL url) throws ReflectiveOperationException {
        var m = JarPythonPath.class.getDeclaredMethod("entry", java.net.URL.class);
        m.setAccessible(true);
        return (String) m.invoke(null, url);
    }
}
