package dev.pyjama;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which CPython this JVM runs: {@link Python#info()}.
 *
 * @param version the full version, e.g. {@code "3.12.1"}
 * @param executable the python executable it belongs to ({@code sys.executable}), if known
 * @param library the libpython shared library that was loaded
 * @param prefix {@code sys.prefix} (a virtual environment's folder when one is active)
 * @param basePrefix {@code sys.base_prefix} (the installation the environment is based on)
 * @param freeThreaded whether the build is free-threaded (compiled with {@code Py_GIL_DISABLED})
 * @param gilEnabled whether the GIL is on ({@code sys._is_gil_enabled()}, true where it does not
 *     exist, as on every GIL build), read when {@link Python#info()} was called: on a free-threaded
 *     build it can turn on while the process runs, when an extension module that does not declare
 *     free-threading support is imported (CPython then warns on Python's stderr)
 * @param foundBy how discovery found it, e.g. {@code "python3 on PATH"}
 * @param abi what pyjama reads or writes inside this CPython: {@code "verified: ..."} with the
 *     shortcuts its start-up probes confirmed, or {@code "portable: ..."} (exported functions only, no
 *     object memory read) with the reason; see the README, "Which CPython"
 */
public record PythonInfo(String version, Optional<Path> executable, Path library, String prefix, String basePrefix,
        boolean freeThreaded, boolean gilEnabled, String foundBy, String abi) {

    /** A one-line description, as the console prints it on start. */
    @Override
    public String toString() {
        return "CPython " + version + (freeThreaded ? (gilEnabled ? " (free-threaded build, GIL on)" : " (free-threaded)") : "")
                + " from " + library + executable.map(e -> ", executable " + e).orElse("")
                + (prefix.equals(basePrefix) ? "" : ", environment " + prefix) + ", found by " + foundBy + "; ABI " + abi;
    }
}
