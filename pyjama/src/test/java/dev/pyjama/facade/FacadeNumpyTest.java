package dev.pyjama.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyjama.Python;
import dev.pyjama.internal.facade.FacadeGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy arrays in hints ({@code numpy.ndarray}, {@code numpy.typing.NDArray[...]}): a parameter
 * takes any buffer exporter (made an ndarray by {@code numpy.asarray}, sharing its memory), a result
 * is a {@link dev.pyjama.PyBuffer} over the array's memory. Runs where numpy is installed (pyenv's
 * 3.11.7 here); elsewhere it is skipped.
 */
class FacadeNumpyTest {

    @TempDir
    Path tmp;

    private static final String MODULE = """
            from typing import Optional
            import numpy as np
            import numpy.typing as npt

            def scaled(a: npt.NDArray[np.float64], k: float) -> npt.NDArray[np.float64]:
                return a * k

            def plus_one(a: np.ndarray) -> np.ndarray:
                return a + 1

            def total(a: npt.NDArray[np.float64], weights: Optional[npt.NDArray[np.float64]] = None) -> float:
                return float(a.sum() if weights is None else (a * weights).sum())

            def fill(a: np.ndarray, v: float) -> None:
                a[:] = v
            """;

    private static final String CALLER = """
            package gen.use;

            import dev.pyjama.PyBuffer;
            import dev.pyjama.PyObject;
            import dev.pyjama.Python;
            import gen.np.*;
            import java.util.ArrayList;
            import java.util.Arrays;
            import java.util.List;

            /** Calls the facade. */
            public final class Caller {
                private Caller() {}

                /**
                 * Runs the calls.
                 *
                 * @return what they returned
                 */
                public static Object run() {
                    List<Object> out = new ArrayList<>();
                    try (Python py = Python.attach()) {
                        PyObject values = py.arrayOf(new double[] {1, 2, 3});
                        try (PyBuffer b = M.scaled(py, values, 2.0)) {
                            out.add(b.format() + " " + b.ndim() + " " + Arrays.toString(b.toDoubleArray()));
                        }
                        try (PyBuffer b = M.plusOne(py, py.arrayOf(new long[] {1, 2}))) {
                            out.add(Arrays.toString(b.toLongArray()));
                        }
                        out.add(M.total(py, values));
                        out.add(M.total(py, values, py.arrayOf(new double[] {0, 0, 1})));
                        out.add(M.total(py, values, null));
                        M.fill(py, values, 7.0);
                        try (PyBuffer shared = values.buffer()) {
                            out.add(Arrays.toString(shared.toDoubleArray()));
                        }
                    }
                    return out.toString();
                }
            }
            """;

    @Test
    void numpyArraysArePassedAsBuffersAndReturnedAsPyBuffers() throws Exception {
        boolean numpy = Python.attach(py -> py.eval("__import__('importlib.util').util.find_spec('numpy') is not None")
                .toJava(Boolean.class));
        assumeTrue(numpy, "numpy is not installed in this CPython");
        String module = FacadeTesting.uniqueModule("arrays");
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = FacadeTesting.facade(tmp.resolve("py"), module, MODULE, "gen.np", warnings);
        String cls = FacadeGenerator.moduleClassName(module);
        String src = files.get(cls);
        assertTrue(src.contains("public static PyBuffer scaled(Python py, PyObject a, double k)"), src);
        assertTrue(src.contains("public static PyBuffer plusOne(Python py, PyObject a)"), src);
        assertTrue(src.contains("public static double total(Python py, PyObject a, PyObject weights)"), src);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals("[d 1 [2.0, 4.0, 6.0], [2, 3], 6.0, 3.0, 6.0, [7.0, 7.0, 7.0]]",
                FacadeTesting.compileAndRunCaller(tmp, "gen.np", files, cls, CALLER));
    }
}
