package dev.pyjama.internal.runtime;

import java.nio.file.Path;

/**
 * A CPython found by {@link Discovery}: its shared library, the executable it belongs to (when
 * known) and its version.
 *
 * @param source how it was found, e.g. "python3 on PATH"
 * @param executable the python executable that names its prefix and environment; null when only a
 *     library file was given and no executable stands beside it
 * @param library the libpython shared library to load
 * @param version the version as major.minor[.micro]
 * @param major the major version
 * @param minor the minor version
 * @param freeThreaded whether this is a free-threaded (no GIL) build
 */
public record Installation(String source, Path executable, Path library, String version, int major, int minor,
        boolean freeThreaded) {

    /** Whether two installations are the same interpreter (the same library file). */
    boolean sameAs(Installation other) {
        try {
            return java.nio.file.Files.isSameFile(library, other.library);
        } catch (java.io.IOException e) {
            return library.equals(other.library);
        }
    }

    String describe() {
        return "CPython " + version + (freeThreaded ? " (free-threaded)" : "") + " from " + library
                + (executable != null ? " (" + executable + ")" : "") + ", found by " + source;
    }
}
