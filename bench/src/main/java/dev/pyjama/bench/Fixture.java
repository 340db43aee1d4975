package dev.pyjama.bench;

import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What every benchmark shares: the Python code under test, started once per JVM fork, and the few
 * raw helpers that the floor benchmarks use.
 *
 * <p>The interpreter is started (and the code below run in {@code __main__}) through pyjama on a
 * helper thread of its own, never on a benchmark thread, so that a raw benchmark thread starts
 * with no CPython thread state and no pyjama attachment: what it measures is the raw C API alone.
 */
public final class Fixture {

    /** The Python side of every benchmark, run once in {@code __main__}. */
    public static final String CODE = String.join("\n",
            "import math",
            "def f(x):",
            "    return x + 1",
            "def g():",
            "    return None",
            "class C:",
            "    def method(self, x):",
            "        return x + 1",
            "obj = C()",
            "def make_list(n):",
            "    return list(range(n))",
            "def make_dict(n):",
            "    return dict(zip(range(n), range(n)))",
            "def loop(fn):",
            "    for i in range(1000):",
            "        fn(i)",
            "def ident(x):",
            "    return x",
            "def make_floats(n):",
            "    import numpy",
            "    return numpy.arange(n, dtype=numpy.float64)",
            "def empty_floats(n):",
            "    import numpy",
            "    return numpy.empty(n, dtype=numpy.float64)",
            "def make_ints(n):",
            "    import numpy",
            "    return numpy.arange(n, dtype=numpy.int64)",
            "def empty_ints(n):",
            "    import numpy",
            "    return numpy.empty(n, dtype=numpy.int64)",
            "def make_bytes(n):",
            "    return bytes(range(256)) * (n // 256) + bytes(n % 256)",
            "");

    private static volatile boolean started;

    private Fixture() {}

    /** Starts CPython through pyjama (once per JVM) on a helper thread and defines {@link #CODE}. */
    public static void start() {
        if (started) {
            return;
        }
        synchronized (Fixture.class) {
            if (started) {
                return;
            }
            Throwable[] failure = new Throwable[1];
            Thread t = Thread.ofPlatform().name("pyjama-bench-start").daemon(true).start(() -> {
                try {
                    Python.attach(py -> {
                        py.run(CODE);
                        return null;
                    });
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure[0] != null) {
                throw new IllegalStateException("could not start CPython for the benchmarks", failure[0]);
            }
            started = true;
        }
    }

    // --- raw helpers (the floor): call only with the GIL held ---

    /** {@code __main__.<name>} as a new reference, through the raw C API. */
    public static MemorySegment rawMainGlobal(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment main = LibPython.PyImport_AddModule(a.allocateFrom("__main__")); // borrowed
            MemorySegment dict = LibPython.PyModule_GetDict(main);                         // borrowed
            MemorySegment v = LibPython.PyDict_GetItemString(dict, a.allocateFrom(name));  // borrowed
            if (v.address() == 0) {
                throw new IllegalStateException("__main__." + name + " is not defined");
            }
            LibPython.Py_IncRef(v);
            return v;
        }
    }

    /** An interned str, kept for the whole fork (a new reference that is never released). */
    public static MemorySegment rawIntern(String s) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = LibPython.PyUnicode_InternFromString(a.allocateFrom(s));
            check(name);
            return name;
        }
    }

    /** Throws if a raw call returned NULL (with the Python error printed and cleared). */
    public static MemorySegment check(MemorySegment result) {
        if (result.address() == 0) {
            throw fail();
        }
        return result;
    }

    public static IllegalStateException fail() {
        LibPython.PyErr_Print();
        return new IllegalStateException("a raw C API call failed (Python error printed above)");
    }

    /** Whether a Python error is set; for the -1 returns of PyLong_AsLongLong and friends. */
    public static boolean errorSet() {
        return LibPython.PyErr_Occurred().address() != 0;
    }
}
