package dev.pyjama;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which CPython to start, for {@link Python#initialize(PythonConfig)}: a python executable, a
 * virtual environment's folder, or a libpython shared library file.
 *
 * <p>Without one, pyjama looks at the system property {@code pyjama.python}, the environment
 * variable {@code PYJAMA_PYTHON}, an active virtual environment ({@code VIRTUAL_ENV}), then
 * {@code python3} and {@code python} on PATH.
 */
public final class PythonConfig {

    private final String python;
    private final HostAccess hostAccess;

    private PythonConfig(String python, HostAccess hostAccess) {
        this.python = python;
        this.hostAccess = hostAccess;
    }

    /**
     * A configuration that finds the interpreter as the first attach would (the system property,
     * the environment, PATH), for setting other things such as {@link #withHostAccess}.
     *
     * @return the configuration
     */
    public static PythonConfig discover() {
        return new PythonConfig(null, HostAccess.secure());
    }

    /**
     * This configuration with another host access policy: what Python code may reach of the JVM
     * through Java objects (default {@link HostAccess#secure()}).
     *
     * @param access the policy
     * @return a new configuration
     * @throws NullPointerException if {@code access} is null
     */
    public PythonConfig withHostAccess(HostAccess access) {
        return new PythonConfig(python, Objects.requireNonNull(access, "access"));
    }

    /**
     * The host access policy.
     *
     * @return the policy; {@link HostAccess#secure()} unless set
     */
    public HostAccess hostAccess() {
        return hostAccess;
    }

    /**
     * A configuration naming one interpreter.
     *
     * @param python a python executable ({@code /usr/bin/python3.11}), an environment folder
     *     ({@code .venv}), or a libpython file ({@code libpython3.12.so})
     * @return the configuration
     * @throws NullPointerException if {@code python} is null
     */
    public static PythonConfig of(Path python) {
        return new PythonConfig(Objects.requireNonNull(python, "python").toString(), HostAccess.secure());
    }

    /**
     * A configuration naming one interpreter by path.
     *
     * @param python the path, as for {@link #of(Path)}
     * @return the configuration
     * @throws NullPointerException if {@code python} is null
     */
    public static PythonConfig of(String python) {
        return new PythonConfig(Objects.requireNonNull(python, "python"), HostAccess.secure());
    }

    /**
     * The configured path, as given.
     *
     * @return the path of the python executable, environment or libpython; null for {@link #discover()}
     */
    public String python() {
        return python;
    }

    @Override
    public String toString() {
        return "PythonConfig[" + (python == null ? "discover" : python) + ", " + hostAccess + "]";
    }
}
