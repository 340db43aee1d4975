package dev.pyjama.bench;

import dev.pyjama.PyBuffer;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import dev.pyjama.ffi.Py_buffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The first buffer views of a fresh JVM (issue 21), outside JMH: starts CPython, makes a numpy
 * array of 1,000 float64, then times (System.nanoTime) the first six views, either through pyjama
 * ({@code buffer()} + {@code segment()} + {@code close()}) or raw ({@code PyObject_GetBuffer} +
 * {@code PyBuffer_Release} through the generated bindings). The first one includes whatever class
 * loading and linking the path needs. One JVM per run:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dpyjama.python=.../python3 \
 *      -cp bench/target/benchmarks.jar dev.pyjama.bench.FirstViewProbe pyjama|raw
 * </pre>
 */
public final class FirstViewProbe {

    private FirstViewProbe() {}

    public static void main(String[] args) {
        boolean raw = args.length > 0 && args[0].equals("raw");
        Python.attach(py -> {
            py.run("import numpy\nx = numpy.arange(1000.0)\n");
            return null;
        });
        long[] t = new long[6];
        if (raw) {
            int gil = LibPython.PyGILState_Ensure();
            MemorySegment x = Fixture.rawMainGlobal("x");
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                MemorySegment view = Py_buffer.allocate(Arena.global());
                if (LibPython.PyObject_GetBuffer(x, view, LibPython.PyBUF_RECORDS_RO()) != 0) {
                    throw Fixture.fail();
                }
                long n = Py_buffer.buf(view).reinterpret(Py_buffer.len(view)).byteSize();
                LibPython.PyBuffer_Release(view);
                t[i] = System.nanoTime() - t0;
                if (n != 8000) {
                    throw new AssertionError(n);
                }
            }
            LibPython.Py_DecRef(x);
            LibPython.PyGILState_Release(gil);
        } else {
            Python.attach(py -> {
                PyObject x = py.eval("x");
                for (int i = 0; i < t.length; i++) {
                    long t0 = System.nanoTime();
                    long n;
                    try (PyBuffer b = x.buffer()) {
                        n = b.segment().byteSize();
                    }
                    t[i] = System.nanoTime() - t0;
                    if (n != 8000) {
                        throw new AssertionError(n);
                    }
                }
                return null;
            });
        }
        StringBuilder out = new StringBuilder(raw ? "raw   " : "pyjama");
        for (long v : t) {
            out.append(String.format(" %9.1f", v / 1000.0));
        }
        System.out.println(out.append(" us (views 1 to 6)"));
    }
}
