package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Whether N Java threads running Python get N times the throughput of one (issue 17,
 * "Performance"): about 1.0x with a GIL, up to N on a free-threaded build with N free cores.
 * Scores are operations per second over all threads.
 *
 * <ul>
 *   <li>{@code loop}: attach, call {@code work(20000)} (CPU-bound pure Python, about 1 ms), release.</li>
 *   <li>{@code call}: attach, {@code f(x)} (long in, long out), release.</li>
 *   <li>{@code callAttached}: {@code f(x)} in a nested scope of a scope the thread keeps open for
 *       the whole iteration: the calls alone, without the attach. Free-threaded builds only with
 *       two threads: under a GIL the open scope holds it, and the setup says so.</li>
 *   <li>{@code callShared}: as {@code call}, but every thread calls the same function object.</li>
 *   <li>{@code callRaw}: the floor of {@code call}: {@code PyGILState_Ensure}, a raw vectorcall,
 *       {@code PyGILState_Release}, each thread keeping its thread state.</li>
 * </ul>
 * Except in {@code callShared}, each thread calls functions of a module of its own, compiled by
 * itself, so that the threads share no Python object whose reference count changes: on a
 * free-threaded build a count that two threads change is a contended atomic (the owner thread of
 * biased reference counting changes it without one).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScalingBench {

    static final long X = 1_000_000L;
    static final int WORK = 20_000;
    static final long OFFSET = Long.MIN_VALUE;

    static final String CODE = String.join("\n",
            "def f(x):",
            "    return x + 1",
            "def work(n):",
            "    s = 0",
            "    for i in range(n):",
            "        s += i * i",
            "    return s",
            "");

    private static final AtomicInteger MODULES = new AtomicInteger();

    /** The shared function of {@code callShared}. */
    @State(Scope.Benchmark)
    public static class Shared {
        Py<PyObject> f;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            f = Python.attach(py -> py.eval("f").unbind());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            f.close();
        }
    }

    /** This thread's own module, compiled on this thread. */
    @State(Scope.Thread)
    public static class Own {
        Py<PyObject> f;
        Py<PyObject> work;
        long expected;
        Python held;
        long x = X;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            Python.attach(py -> {
                PyModule m = PyModule.fromCode(py, CODE, "scaling.py", "scaling" + MODULES.incrementAndGet());
                f = m.getAttr("f").unbind();
                work = m.getAttr("work").unbind();
                expected = m.getAttr("work").call(WORK).toJava(long.class);
                return null;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            f.close();
            work.close();
        }
    }

    /** A scope held open for the iteration by {@code callAttached}. */
    @State(Scope.Thread)
    public static class Held {
        Python py;
        PyObject f;

        @Setup(Level.Iteration)
        public void open(Own own, BenchmarkParams params) {
            if (params.getThreads() > 1 && Python.info().gilEnabled()) {
                // an open scope holds the GIL: the second thread would wait for it forever
                throw new IllegalStateException("callAttached with " + params.getThreads()
                        + " threads needs a build without the GIL: under it an open scope holds the GIL");
            }
            py = Python.attach();
            f = own.f.bind(py);
        }

        @TearDown(Level.Iteration)
        public void close() {
            py.close();
        }
    }

    /** Raw: this thread's own module's {@code f}, its argument buffer and kept thread state. */
    @State(Scope.Thread)
    public static class Raw {
        MemorySegment f;
        int kept;
        MemorySegment saved;
        MemorySegment argv;
        long x = X;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            kept = LibPython.PyGILState_Ensure();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment code = Fixture.check(LibPython.Py_CompileString(a.allocateFrom(CODE),
                        a.allocateFrom("scaling.py"), 257)); // Py_file_input
                MemorySegment globals = Fixture.check(LibPython.PyDict_New());
                LibPython.PyDict_SetItemString(globals, a.allocateFrom("__builtins__"), LibPython.PyEval_GetBuiltins());
                LibPython.Py_DecRef(Fixture.check(LibPython.PyEval_EvalCode(code, globals, globals)));
                f = Fixture.check(LibPython.PyDict_GetItemString(globals, a.allocateFrom("f"))); // borrowed
                LibPython.Py_IncRef(f);
                LibPython.Py_DecRef(code);
                LibPython.Py_DecRef(globals);
            }
            argv = Arena.global().allocate(ValueLayout.ADDRESS, 2).asSlice(ValueLayout.ADDRESS.byteSize());
            saved = LibPython.PyEval_SaveThread();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.PyEval_RestoreThread(saved);
            LibPython.Py_DecRef(f);
            LibPython.PyGILState_Release(kept);
        }
    }

    static long loop(Own t) {
        try (Python py = Python.attach()) {
            long r = t.work.bind(py).call(WORK).toJava(long.class);
            if (r != t.expected) {
                throw new IllegalStateException("work = " + r);
            }
            return r;
        }
    }

    static long call(Py<PyObject> f, long x) {
        try (Python py = Python.attach()) {
            return f.bind(py).call(x).toJava(long.class);
        }
    }

    static long callAttached(Held h, Own t) {
        try (Python inner = Python.attach()) {
            return h.f.call(t.x).toJava(long.class);
        }
    }

    static long callRaw(Raw t) {
        int state = LibPython.PyGILState_Ensure();
        try {
            MemorySegment arg = LibPython.PyLong_FromLongLong(t.x);
            t.argv.setAtIndex(ValueLayout.ADDRESS, 0, arg);
            MemorySegment r = LibPython.PyObject_Vectorcall(t.f, t.argv, 1 | OFFSET, MemorySegment.NULL);
            LibPython.Py_DecRef(arg);
            if (r.address() == 0) {
                throw Fixture.fail();
            }
            long v = LibPython.PyLong_AsLongLong(r);
            LibPython.Py_DecRef(r);
            return v;
        } finally {
            LibPython.PyGILState_Release(state);
        }
    }

    @Benchmark @Threads(1)
    public long loop_1thread(Own t) {
        return loop(t);
    }

    @Benchmark @Threads(2)
    public long loop_2threads(Own t) {
        return loop(t);
    }

    @Benchmark @Threads(1)
    public long call_1thread(Own t) {
        return call(t.f, t.x);
    }

    @Benchmark @Threads(2)
    public long call_2threads(Own t) {
        return call(t.f, t.x);
    }

    @Benchmark @Threads(1)
    public long callAttached_1thread(Held h, Own t) {
        return callAttached(h, t);
    }

    @Benchmark @Threads(2)
    public long callAttached_2threads(Held h, Own t) {
        return callAttached(h, t);
    }

    @Benchmark @Threads(1)
    public long callShared_1thread(Shared s, Own t) {
        return call(s.f, t.x);
    }

    @Benchmark @Threads(2)
    public long callShared_2threads(Shared s, Own t) {
        return call(s.f, t.x);
    }

    @Benchmark @Threads(1)
    public long callRaw_1thread(Raw t) {
        return callRaw(t);
    }

    @Benchmark @Threads(2)
    public long callRaw_2threads(Raw t) {
        return callRaw(t);
    }
}
