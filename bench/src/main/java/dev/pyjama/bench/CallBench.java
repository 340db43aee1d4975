package dev.pyjama.bench;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Call overhead (benchmark 1) and attribute read (benchmark 2): each pyjama operation next to its
 * naive raw floor through the generated bindings.
 *
 * <p>Both sides hold the GIL for the whole trial (pyjama: an attached scope opened in the trial
 * setup on the benchmark thread; raw: {@code PyGILState_Ensure} in the setup). Each pyjama result
 * handle is closed inside the benchmark method (try-with-resources), so the trial scope does not
 * grow.
 *
 * <p>{@code x} is 1,000,000: outside CPython's small-int cache, so both sides allocate an int for
 * the argument and one for the result, as a real call would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallBench {

    static final long X = 1_000_000L;
    static final long OFFSET = Long.MIN_VALUE; // PY_VECTORCALL_ARGUMENTS_OFFSET

    @State(Scope.Thread)
    public static class Pyjama {
        Python py;
        PyObject f;
        PyObject g;
        PyObject obj;
        PyObject math;
        long x = X;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            f = py.eval("f");
            g = py.eval("g");
            obj = py.eval("obj");
            math = py.importModule("math");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        int gil;
        MemorySegment f;
        MemorySegment g;
        MemorySegment obj;
        MemorySegment math;
        MemorySegment none;
        MemorySegment methodName;
        MemorySegment piName;
        /** args for f(x): slot 0 is the spare slot PY_VECTORCALL_ARGUMENTS_OFFSET lets the callee use. */
        MemorySegment buf1;
        MemorySegment argv1;
        /** args for obj.method(x): [spare, obj, x]. */
        MemorySegment buf2;
        MemorySegment argv2;
        long x = X;
        /**
         * Whether this libpython exports PyObject_Vectorcall (3.11+). 3.10 has it only as an inline
         * function of its headers: there the naive raw floor is what its C API offers a caller
         * without private layouts, PyObject_Call with a new 1-tuple for f(x), PyObject_CallNoArgs for g().
         */
        boolean vectorcall;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            vectorcall = java.lang.foreign.SymbolLookup.loaderLookup().find("PyObject_Vectorcall").isPresent();
            gil = LibPython.PyGILState_Ensure();
            f = Fixture.rawMainGlobal("f");
            g = Fixture.rawMainGlobal("g");
            obj = Fixture.rawMainGlobal("obj");
            math = Fixture.rawMainGlobal("math");
            none = Fixture.check(vectorcall ? LibPython.PyObject_Vectorcall(g, MemorySegment.NULL, 0, MemorySegment.NULL)
                    : LibPython.PyObject_CallNoArgs(g));
            LibPython.Py_DecRef(none); // None is immortal enough: we only compare its address
            methodName = Fixture.rawIntern("method");
            piName = Fixture.rawIntern("pi");
            buf1 = Arena.global().allocate(ValueLayout.ADDRESS, 2);
            argv1 = buf1.asSlice(ValueLayout.ADDRESS.byteSize());
            buf2 = Arena.global().allocate(ValueLayout.ADDRESS, 3);
            argv2 = buf2.asSlice(ValueLayout.ADDRESS.byteSize());
            argv2.setAtIndex(ValueLayout.ADDRESS, 0, obj);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.Py_DecRef(f);
            LibPython.Py_DecRef(g);
            LibPython.Py_DecRef(obj);
            LibPython.Py_DecRef(math);
            LibPython.PyGILState_Release(gil);
        }
    }

    // --- f(x): long in, long out ---

    @Benchmark
    public long callLong_pyjama(Pyjama s) {
        try (PyObject r = s.f.call(s.x)) {
            return r.toJava(long.class);
        }
    }

    @Benchmark
    public long callLong_raw(Raw s) {
        MemorySegment arg = LibPython.PyLong_FromLongLong(s.x);
        if (arg.address() == 0) {
            throw Fixture.fail();
        }
        MemorySegment r;
        if (s.vectorcall) {
            s.argv1.setAtIndex(ValueLayout.ADDRESS, 0, arg);
            r = LibPython.PyObject_Vectorcall(s.f, s.argv1, 1 | OFFSET, MemorySegment.NULL);
            LibPython.Py_DecRef(arg);
        } else {
            MemorySegment args = LibPython.PyTuple_New(1);
            LibPython.PyTuple_SetItem(args, 0, arg); // steals arg
            r = LibPython.PyObject_Call(s.f, args, MemorySegment.NULL);
            LibPython.Py_DecRef(args);
        }
        if (r.address() == 0) {
            throw Fixture.fail();
        }
        long v = LibPython.PyLong_AsLongLong(r);
        LibPython.Py_DecRef(r);
        if (v == -1 && Fixture.errorSet()) {
            throw Fixture.fail();
        }
        return v;
    }

    // --- g(): no argument, returns None ---

    @Benchmark
    public boolean callNoArg_pyjama(Pyjama s) {
        try (PyObject r = s.g.call()) {
            return r.isNone();
        }
    }

    @Benchmark
    public boolean callNoArg_raw(Raw s) {
        // No PY_VECTORCALL_ARGUMENTS_OFFSET with no array: a bound method would write before it.
        MemorySegment r = s.vectorcall ? LibPython.PyObject_Vectorcall(s.g, MemorySegment.NULL, 0, MemorySegment.NULL)
                : LibPython.PyObject_CallNoArgs(s.g);
        if (r.address() == 0) {
            throw Fixture.fail();
        }
        boolean isNone = r.address() == s.none.address();
        LibPython.Py_DecRef(r);
        return isNone;
    }

    // --- obj.method(x): a method call by name ---

    @Benchmark
    public long callMethod_pyjama(Pyjama s) {
        try (PyObject r = s.obj.callMethod("method", s.x)) {
            return r.toJava(long.class);
        }
    }

    @Benchmark
    public long callMethod_raw(Raw s) {
        MemorySegment arg = LibPython.PyLong_FromLongLong(s.x);
        if (arg.address() == 0) {
            throw Fixture.fail();
        }
        s.argv2.setAtIndex(ValueLayout.ADDRESS, 1, arg);
        MemorySegment r = LibPython.PyObject_VectorcallMethod(s.methodName, s.argv2, 2 | OFFSET, MemorySegment.NULL);
        LibPython.Py_DecRef(arg);
        if (r.address() == 0) {
            throw Fixture.fail();
        }
        long v = LibPython.PyLong_AsLongLong(r);
        LibPython.Py_DecRef(r);
        if (v == -1 && Fixture.errorSet()) {
            throw Fixture.fail();
        }
        return v;
    }

    // --- math.pi as a double (benchmark 2) ---

    @Benchmark
    public double getAttr_pyjama(Pyjama s) {
        try (PyObject pi = s.math.getAttr("pi")) {
            return pi.toJava(double.class);
        }
    }

    @Benchmark
    public double getAttr_raw(Raw s) {
        MemorySegment pi = LibPython.PyObject_GetAttr(s.math, s.piName);
        if (pi.address() == 0) {
            throw Fixture.fail();
        }
        double d = LibPython.PyFloat_AsDouble(pi);
        LibPython.Py_DecRef(pi);
        if (d == -1.0 && Fixture.errorSet()) {
            throw Fixture.fail();
        }
        return d;
    }
}
