package dev.pyjama.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the build promises its users, checked on the poms and the built jar: the runtime is one
 * dependency with none of its own, the parent pins no dependency (so importing the BOM pins only
 * pyjama's modules), the BOM names every published module, every pom has what Maven Central asks
 * (license, SCM, developers, address), and the jar carries the license.
 */
class BuildLayoutTest {

    /** Tests run in the runtime module's folder; the build's root is its parent. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Document pom(String module) throws Exception {
        Path file = module.isEmpty() ? ROOT.resolve("pom.xml") : ROOT.resolve(module).resolve("pom.xml");
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    /** The direct children of {@code parent} named {@code name}. */
    private static List<Element> children(Node parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Node parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static String text(Node parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    @Test
    void theRuntimeDependsOnNothingAtRunTime() throws Exception {
        Element project = pom("pyjama").getDocumentElement();
        for (Element dep : children(child(project, "dependencies"), "dependency")) {
            assertEquals("test", text(dep, "scope"),
                    "the runtime jar must stay one dependency with none of its own: " + text(dep, "artifactId"));
        }
        Element parent = pom("").getDocumentElement();
        assertEquals(null, child(parent, "dependencies"), "the parent must add no dependency to its modules");
        assertEquals(null, child(parent, "dependencyManagement"),
                "the parent must manage no version: importing pyjama-bom would pin it in the user's build");
    }

    @Test
    void theBomNamesEveryPublishedModule() throws Exception {
        Element parent = pom("").getDocumentElement();
        Set<String> published = new TreeSet<>();
        for (Element m : children(child(parent, "modules"), "module")) {
            Element project = pom(m.getTextContent().trim()).getDocumentElement();
            if (!"pom".equals(text(project, "packaging"))) {
                published.add(text(project, "artifactId"));
            }
        }
        assertEquals(Set.of("pyjama", "pyjama-arrow", "pyjama-maven-plugin"), published);
        Element bom = pom("pyjama-bom").getDocumentElement();
        Set<String> managed = new TreeSet<>();
        for (Element dep : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            managed.add(text(dep, "artifactId"));
            assertEquals("${project.version}", text(dep, "version"));
        }
        assertEquals(published, managed);
    }

    @Test
    void everyPomHasWhatMavenCentralAsks() throws Exception {
        Element parent = pom("").getDocumentElement();
        assertFalse(text(parent, "url").isEmpty());
        assertEquals("Apache-2.0", text(child(child(parent, "licenses"), "license"), "name"));
        assertTrue(text(child(parent, "scm"), "connection").startsWith("scm:git:"));
        assertFalse(children(child(parent, "developers"), "developer").isEmpty());
        for (Element m : children(child(parent, "modules"), "module")) {
            Element project = pom(m.getTextContent().trim()).getDocumentElement();
            String name = text(project, "artifactId");
            assertEquals("pyjama-parent", text(child(project, "parent"), "artifactId"), name + " inherits the metadata");
            assertFalse(text(project, "description") == null || text(project, "description").isEmpty(),
                    name + " has a description");
        }
        assertTrue(Files.readString(ROOT.resolve("LICENSE")).contains("Apache License"));
    }

    @Test
    void theJarsCarryTheLicenseAndTheirSourcesAndJavadocAreBuilt() throws IOException {
        Path target = Path.of("target");
        Path jar = target.resolve("pyjama.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "target/pyjama.jar is not built (bin/test builds it)");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertTrue(j.getEntry("META-INF/LICENSE") != null, "META-INF/LICENSE in pyjama.jar");
        }
        try (JarFile j = new JarFile(target.resolve("pyjama-sources.jar").toFile())) {
            assertTrue(j.getEntry("dev/pyjama/Python.java") != null, "the API's sources");
            assertTrue(j.getEntry("dev/pyjama/ffi/LibPython.java") != null, "the generated bindings' sources");
        }
        try (JarFile j = new JarFile(target.resolve("pyjama-javadoc.jar").toFile())) {
            // A module's javadoc: its pages under the module's name.
            assertTrue(j.getEntry("dev.pyjama/dev/pyjama/Python.html") != null, "the API's javadoc");
            assertEquals(null, j.getEntry("dev.pyjama/dev/pyjama/internal/runtime/Interpreter.html"), "no javadoc of internals");
        }
    }
}
