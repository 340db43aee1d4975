package dev.pyjama.bench;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Large containers both ways (benchmark 6): a list of 1,000,000 ints and a dict of 100,000
 * int-to-int entries.
 *
 * <p>The reference the target is measured against is CPython building the same container
 * itself ({@code list(range(n))}, {@code dict(zip(range(n), range(n)))}, called once through
 * pyjama: one call's overhead is nothing next to milliseconds). The raw FFM floor (a loop of
 * {@code PyList_New}/{@code PyList_SetItem}/{@code PyLong_FromLongLong}, {@code PyDict_SetItem},
 * {@code PyList_GetItem}/{@code PyLong_AsLongLong}, {@code PyDict_Next}) is shown too.
 *
 * <p>Every container made in a benchmark method is released in that method (try-with-resources for
 * pyjama, {@code Py_DecRef} for raw). Run with {@code -XX:+AlwaysPreTouch} and a fixed heap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ContainerBench {

    static final int LIST_N = 1_000_000;
    static final int DICT_N = 100_000;

    static final TypeRef<List<Long>> LIST_OF_LONG = new TypeRef<>() {};
    static final TypeRef<Map<Long, Long>> MAP_OF_LONG = new TypeRef<>() {};

    @State(Scope.Thread)
    public static class Data {
        List<Long> list;
        long[] array;
        Map<Long, Long> map;

        @Setup(Level.Trial)
        public void setup() {
            list = new ArrayList<>(LIST_N);
            array = new long[LIST_N];
            for (int i = 0; i < LIST_N; i++) {
                list.add((long) i);
                array[i] = i;
            }
            map = new LinkedHashMap<>();
            for (long i = 0; i < DICT_N; i++) {
                map.put(i, i);
            }
        }
    }

    @State(Scope.Thread)
    public static class Pyjama {
        Python py;
        PyObject makeList;
        PyObject makeDict;
        PyObject pyList;
        PyObject pyDict;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            makeList = py.eval("make_list");
            makeDict = py.eval("make_dict");
            pyList = makeList.call(LIST_N);
            pyDict = makeDict.call(DICT_N);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        int gil;
        MemorySegment pyList;
        MemorySegment pyDict;
        MemorySegment pos;
        MemorySegment key;
        MemorySegment value;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            gil = LibPython.PyGILState_Ensure();
            pyList = Fixture.check(LibPython.PyObject_Vectorcall(Fixture.rawMainGlobal("make_list"),
                    args(LibPython.PyLong_FromLongLong(LIST_N)), 1, MemorySegment.NULL));
            pyDict = Fixture.check(LibPython.PyObject_Vectorcall(Fixture.rawMainGlobal("make_dict"),
                    args(LibPython.PyLong_FromLongLong(DICT_N)), 1, MemorySegment.NULL));
            pos = Arena.global().allocate(ValueLayout.JAVA_LONG);
            key = Arena.global().allocate(ValueLayout.ADDRESS);
            value = Arena.global().allocate(ValueLayout.ADDRESS);
        }

        private static MemorySegment args(MemorySegment arg) {
            MemorySegment a = Arena.global().allocate(ValueLayout.ADDRESS);
            a.set(ValueLayout.ADDRESS, 0, arg);
            return a;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.Py_DecRef(pyList);
            LibPython.Py_DecRef(pyDict);
            LibPython.PyGILState_Release(gil);
        }
    }

    // --- list of 1,000,000 ints, Java -> Python ---

    @Benchmark
    public long listToPython_fromList_pyjama(Pyjama s, Data d) {
        try (PyObject l = s.py.toPython(d.list)) {
            return l.len();
        }
    }

    @Benchmark
    public long listToPython_fromLongArray_pyjama(Pyjama s, Data d) {
        try (PyObject l = s.py.toPython(d.array)) {
            return l.len();
        }
    }

    /** The reference: CPython building the same list itself. */
    @Benchmark
    public long listToPython_cpython(Pyjama s) {
        try (PyObject l = s.makeList.call(LIST_N)) {
            return l.len();
        }
    }

    @Benchmark
    public long listToPython_fromLongArray_raw(Raw s, Data d) {
        long[] a = d.array;
        MemorySegment l = Fixture.check(LibPython.PyList_New(a.length));
        for (int i = 0; i < a.length; i++) {
            MemorySegment v = LibPython.PyLong_FromLongLong(a[i]);
            if (v.address() == 0 || LibPython.PyList_SetItem(l, i, v) != 0) {
                LibPython.Py_DecRef(l);
                throw Fixture.fail();
            }
        }
        long n = LibPython.PyList_Size(l);
        LibPython.Py_DecRef(l);
        return n;
    }

    // --- list of 1,000,000 ints, Python -> Java ---

    @Benchmark
    public List<Long> listToJava_toList_pyjama(Pyjama s) {
        return s.pyList.toJava(LIST_OF_LONG);
    }

    @Benchmark
    public long[] listToJava_toLongArray_pyjama(Pyjama s) {
        return s.pyList.toJava(long[].class);
    }

    @Benchmark
    public List<Long> listToJava_toList_raw(Raw s) {
        MemorySegment l = s.pyList;
        int n = (int) LibPython.PyList_Size(l);
        ArrayList<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long v = LibPython.PyLong_AsLongLong(LibPython.PyList_GetItem(l, i));
            if (v == -1 && Fixture.errorSet()) {
                throw Fixture.fail();
            }
            out.add(v);
        }
        return out;
    }

    @Benchmark
    public long[] listToJava_toLongArray_raw(Raw s) {
        MemorySegment l = s.pyList;
        int n = (int) LibPython.PyList_Size(l);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = LibPython.PyLong_AsLongLong(LibPython.PyList_GetItem(l, i));
            if (v == -1 && Fixture.errorSet()) {
                throw Fixture.fail();
            }
            out[i] = v;
        }
        return out;
    }

    // --- dict of 100,000 int -> int, Java -> Python ---

    @Benchmark
    public long dictToPython_pyjama(Pyjama s, Data d) {
        try (PyObject m = s.py.toPython(d.map)) {
            return m.len();
        }
    }

    /** The reference: CPython building the same dict itself. */
    @Benchmark
    public long dictToPython_cpython(Pyjama s) {
        try (PyObject m = s.makeDict.call(DICT_N)) {
            return m.len();
        }
    }

    @Benchmark
    public long dictToPython_raw(Raw s, Data d) {
        MemorySegment m = Fixture.check(LibPython.PyDict_New());
        for (Map.Entry<Long, Long> e : d.map.entrySet()) {
            MemorySegment k = LibPython.PyLong_FromLongLong(e.getKey());
            MemorySegment v = LibPython.PyLong_FromLongLong(e.getValue());
            int rc = LibPython.PyDict_SetItem(m, k, v);
            LibPython.Py_DecRef(k);
            LibPython.Py_DecRef(v);
            if (rc != 0) {
                LibPython.Py_DecRef(m);
                throw Fixture.fail();
            }
        }
        long n = LibPython.PyDict_Size(m);
        LibPython.Py_DecRef(m);
        return n;
    }

    // --- dict of 100,000 int -> int, Python -> Java ---

    @Benchmark
    public Map<Long, Long> dictToJava_pyjama(Pyjama s) {
        return s.pyDict.toJava(MAP_OF_LONG);
    }

    @Benchmark
    public Map<Long, Long> dictToJava_raw(Raw s) {
        MemorySegment m = s.pyDict;
        LinkedHashMap<Long, Long> out = new LinkedHashMap<>();
        s.pos.set(ValueLayout.JAVA_LONG, 0, 0);
        while (LibPython.PyDict_Next(m, s.pos, s.key, s.value) != 0) {
            long k = LibPython.PyLong_AsLongLong(s.key.get(ValueLayout.ADDRESS, 0));
            long v = LibPython.PyLong_AsLongLong(s.value.get(ValueLayout.ADDRESS, 0));
            if ((k == -1 || v == -1) && Fixture.errorSet()) {
                throw Fixture.fail();
            }
            out.put(k, v);
        }
        return out;
    }
}
