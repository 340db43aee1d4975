package dev.pyjama.bench;

import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.MemorySegment;
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
 * Attach + release (benchmark 3) on a thread that has attached before, so it keeps a CPython thread
 * state; the benchmark thread holds no scope and no GIL between operations.
 *
 * <p>pyjama: {@code Python.attach()} + {@code close()} of an outermost scope. Floor: a raw
 * {@code PyGILState_Ensure} + {@code PyGILState_Release} pair on a thread that keeps its thread
 * state (one {@code PyGILState_Ensure} in the setup, kept for the trial, with the GIL dropped by
 * {@code PyEval_SaveThread}). The two live in separate states and separate benchmarks (JMH forks a
 * fresh JVM per benchmark), so pyjama's own attachment never touches the raw thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AttachBench {

    @State(Scope.Thread)
    public static class Pyjama {
        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            // The first attach of this thread creates its thread state; later ones reuse it.
            Python.attach(py -> null);
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        int kept;
        MemorySegment saved;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            kept = LibPython.PyGILState_Ensure();   // creates and keeps this thread's state
            saved = LibPython.PyEval_SaveThread();  // drops the GIL, the state stays
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.PyEval_RestoreThread(saved);
            LibPython.PyGILState_Release(kept);
        }
    }

    @Benchmark
    public Python attachRelease_pyjama(Pyjama s) {
        Python py = Python.attach();
        py.close();
        return py;
    }

    /**
     * Attach, one temporary owned by the scope ({@code py.integer}, a new reference), release: the
     * scope's close releases what it owns (issue 20 counts those for JFR's scope event).
     */
    @Benchmark
    public Python attachTemporaryRelease_pyjama(Pyjama s) {
        Python py = Python.attach();
        py.integer(7);
        py.close();
        return py;
    }

    @Benchmark
    public int attachRelease_raw(Raw s) {
        int state = LibPython.PyGILState_Ensure();
        LibPython.PyGILState_Release(state);
        return state;
    }
}
