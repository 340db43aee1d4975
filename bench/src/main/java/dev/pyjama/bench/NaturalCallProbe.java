package dev.pyjama.bench;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The natural call form of issue 21 outside JMH, side by side with naive raw FFM in one JVM, as the
 * issue measured it: rounds of 2,000 nested {@code Python.attach(p -> ...)} blocks of 1,000
 * {@code x += f.call(i).toJava(Long.class)} (results left to the block's scope), then the same
 * 2,000,000 calls as raw {@code PyLong_FromLongLong} + {@code PyObject_Vectorcall} +
 * {@code PyLong_AsLongLong} + two {@code Py_DecRef} with the GIL held. Prints ns per call for each
 * round, warm-up included:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Dpyjama.python=.../python3 \
 *      -cp bench/target/benchmarks.jar dev.pyjama.bench.NaturalCallProbe [rounds]
 * </pre>
 */
public final class NaturalCallProbe {

    static final int BATCH = 1000;
    static final int BATCHES = 2000;
    static long sink;

    private NaturalCallProbe() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        Fixture.start();
        MemorySegment argv = Arena.global().allocate(ValueLayout.ADDRESS, 2).asSlice(8);
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            Python.attach(py -> {
                PyObject f = py.eval("f");
                long x = 0;
                for (int b = 0; b < BATCHES; b++) {
                    x += Python.attach(p -> {
                        long s = 0;
                        for (int i = 0; i < BATCH; i++) {
                            s += f.call(i).toJava(Long.class);
                        }
                        return s;
                    });
                }
                sink += x;
                return null;
            });
            long t1 = System.nanoTime();
            int gil = LibPython.PyGILState_Ensure();
            MemorySegment f = Fixture.rawMainGlobal("f");
            long x = 0;
            for (int b = 0; b < BATCHES; b++) {
                for (int i = 0; i < BATCH; i++) {
                    MemorySegment arg = LibPython.PyLong_FromLongLong(i);
                    argv.setAtIndex(ValueLayout.ADDRESS, 0, arg);
                    MemorySegment r = LibPython.PyObject_Vectorcall(f, argv, 1 | Long.MIN_VALUE, MemorySegment.NULL);
                    LibPython.Py_DecRef(arg);
                    x += LibPython.PyLong_AsLongLong(r);
                    LibPython.Py_DecRef(r);
                }
            }
            LibPython.Py_DecRef(f);
            LibPython.PyGILState_Release(gil);
            sink += x;
            long t2 = System.nanoTime();
            System.out.printf("round %2d: pyjama %6.1f ns/call, raw %6.1f ns/call%n", round,
                    (t1 - t0) / (double) (BATCH * BATCHES), (t2 - t1) / (double) (BATCH * BATCHES));
        }
    }
}
