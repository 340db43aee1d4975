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

    private PythonConfig(String python) {
        this.python = python;
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
        return new PythonConfig(Objects.requireNonNull(python, "python").toString());
    }

    /**
     * A configuration naming one interpreter by path.
     *
     * @param python the path, as for {@link #of(Path)}
     * @return the configuration
     * @throws NullPointerException if {@code python} is null
     */
    public static PythonConfig of(String python) {
        return new PythonConfig(Objects.requireNonNull(python, "python"));
    }

    /**
     * The configured path, as given.
     *
     * @return the path of the python executable, environment or libpython
     */
    public String python() {
        return python;
    }

    @Override
    public String toString() {
        return "PythonConfig[" + python + "]";
    }
}
