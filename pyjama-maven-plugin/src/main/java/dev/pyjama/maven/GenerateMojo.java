package dev.pyjama.maven;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed Java facades for Python modules from their type hints, adds them as a source
 * root, and packages the project's Python sources ({@code src/main/python}) into the jar under
 * {@code META-INF/python}, where pyjama finds them at run time.
 *
 * <p>The generator runs as pyjama's own command ({@code java -jar pyjama.jar facade ...}) in a
 * forked JVM (this Maven's java): a process holds one CPython, and Maven's JVM may build several
 * projects with different ones. What cannot be typed is a build warning, never a failure.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** Creates the goal (Maven does). */
    public GenerateMojo() {}

    /** The CPython to use: an executable, an environment folder or a libpython; empty for pyjama's discovery. */
    @Parameter(property = "pyjama.python")
    private String python;

    /** The Python modules to generate facades for (the project's own and installed ones). */
    @Parameter(required = true)
    private List<String> modules;

    /** The Java package of the generated classes. */
    @Parameter(alias = "package", required = true)
    private String javaPackage;

    /** Where the generated sources go (added as a compile source root). */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/pyjama")
    private File outputDirectory;

    /** The project's Python sources: on sys.path for the generator, and packaged under META-INF/python. */
    @Parameter(defaultValue = "${project.basedir}/src/main/python")
    private File pythonSourceDirectory;

    /** Skips the generation (the Python sources are still packaged). */
    @Parameter(property = "pyjama.facade.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException {
        if (pythonSourceDirectory.isDirectory()) {
            Resource r = new Resource();
            r.setDirectory(pythonSourceDirectory.getAbsolutePath());
            r.setTargetPath("META-INF/python");
            r.addExclude("**/__pycache__/**");
            r.addExclude("**/*.pyc");
            project.addResource(r);
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        if (skip) {
            getLog().info("pyjama facade generation skipped");
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(pyjamaJar());
        cmd.add("dev.pyjama.internal.console.ConsoleMain");
        cmd.add("facade");
        if (python != null && !python.isBlank()) {
            cmd.add("--python");
            cmd.add(python);
        }
        for (String m : modules) {
            cmd.add("--module");
            cmd.add(m);
        }
        cmd.add("--package");
        cmd.add(javaPackage);
        cmd.add("--out");
        cmd.add(outputDirectory.getAbsolutePath());
        if (pythonSourceDirectory.isDirectory()) {
            cmd.add("--path");
            cmd.add(pythonSourceDirectory.getAbsolutePath());
        }
        getLog().debug("pyjama facade: " + cmd);
        int status;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("pyjama facade: warning: ")) {
                        getLog().warn(line.substring("pyjama facade: warning: ".length()));
                    } else {
                        getLog().info(line);
                    }
                }
            }
            status = p.waitFor();
        } catch (IOException e) {
            throw new MojoExecutionException("could not run the facade generator: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted", e);
        }
        if (status != 0) {
            throw new MojoExecutionException("the facade generator failed (exit status " + status + "); see above");
        }
    }

    /** The pyjama jar this plugin depends on: the generator's own version. */
    private static String pyjamaJar() throws MojoExecutionException {
        try {
            return Path.of(dev.pyjama.Python.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new MojoExecutionException("cannot locate the pyjama jar: " + e, e);
        }
    }
}
