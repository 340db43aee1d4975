package dev.pyjama.arrow;

import dev.pyjama.Python;
import org.junit.jupiter.api.Assumptions;

/**
 * Which of the Python data packages the interpreter under test has. A test that needs a missing
 * one is skipped with a message that names the package and the interpreter (never silently):
 * bin/test installs pandas, pyarrow, polars and duckdb where wheels exist (pyenv's 3.11 here).
 */
final class Packages {

    private Packages() {}

    static boolean has(String module) {
        return Python.attach(py -> py.eval("__import__('importlib.util').util.find_spec('" + module + "') is not None").isTruthy());
    }

    static void require(String... modules) {
        for (String m : modules) {
            if (!has(m)) {
                String where = Python.attach(py -> py.eval("__import__('sys').executable + ' ' + __import__('sys').version.split()[0]").str());
                String msg = "SKIPPED: Python package '" + m + "' is not installed for " + where
                        + " (bin/test installs it where a wheel exists)";
                System.err.println(msg);
                Assumptions.abort(msg);
            }
        }
    }
}
