package dev.pyjama.bench;

import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
 * Issue 18, Java from Python and Python as Java:
 * <ul>
 *   <li>{@code for i in range(1000): jlist.size()} on a {@code py.wrap(ArrayList)} (a Java method
 *   through the {@code pyjama.JavaObject} proxy), against the same loop calling a Java function
 *   ({@code fn(i)}, UpcallBench's row);</li>
 *   <li>{@code comparator.compare(a, b)} through {@code asInterface(Comparator.class)}, from a
 *   thread that is not attached (the proxy attaches per call) against
 *   {@code Python.attach(p -> cmp.bind(p).callAs(int.class, a, b))}, and from an attached thread
 *   against {@code cmp.callAs(int.class, a, b)};</li>
 *   <li>{@code sum()} in Python over {@code py.view} of a 1,000,000-element {@code List<Long>},
 *   against copying the list ({@code py.toPython}) and summing the copy, and against summing a
 *   Python list made beforehand.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JavaBridgeBench {

    static final String CODE = String.join("\n",
            "def loop_size(jl):",
            "    for i in range(1000):",
            "        jl.size()",
            "def cmp(a, b):",
            "    return (a > b) - (a < b)",
            "");

    /** An attached thread: a scope held for the trial. */
    @State(Scope.Thread)
    public static class Attached {
        Python py;
        PyObject loopSize;
        PyObject loop;
        PyObject jlist;
        PyCallable javaFn;
        PyObject cmp;
        Comparator<Long> proxy;
        long a = 1;
        long b = 2;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            py.run(CODE);
            loopSize = py.eval("loop_size");
            loop = py.eval("loop");
            jlist = py.wrap(new ArrayList<>(List.of(1L, 2L, 3L)));
            javaFn = py.function("jf", (PyObject x) -> x);
            cmp = py.eval("cmp");
            proxy = cmp.toJava(new TypeRef<Comparator<Long>>() {});
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    /** A thread that is not attached: each operation attaches by itself. */
    @State(Scope.Thread)
    public static class Detached {
        Py<PyObject> cmp;
        Comparator<Long> proxy;
        long a = 1;
        long b = 2;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            Python.attach(py -> {
                py.run(CODE);
                PyObject f = py.eval("cmp");
                cmp = f.unbind();
                proxy = f.toJava(new TypeRef<Comparator<Long>>() {});
                return null;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cmp.close();
        }
    }

    /** A million Longs, their live view, and a Python copy made beforehand. */
    @State(Scope.Thread)
    public static class Million {
        Python py;
        List<Long> list;
        PyObject view;
        PyObject copy;
        PyObject sum;

        @Setup(Level.Trial)
        public void setup() {
            Fixture.start();
            py = Python.attach();
            list = LongStream.range(0, 1_000_000).boxed().toList();
            view = py.view(list);
            copy = py.toPython(list);
            sum = py.builtins().getAttr("sum");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    // --- a Java method called from a Python loop ---

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean loop1000_javaMethod_pyjama(Attached s) {
        try (PyObject r = s.loopSize.call(s.jlist)) {
            return r.isNone();
        }
    }

    /** The reference of the same fork: UpcallBench's loop calling a Java function. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean loop1000_javaFunction_pyjama(Attached s) {
        try (PyObject r = s.loop.call(s.javaFn)) {
            return r.isNone();
        }
    }

    // --- a Python function as a Java interface ---

    @Benchmark
    public int compare_proxy_detached(Detached s) {
        return s.proxy.compare(s.a, s.b);
    }

    @Benchmark
    public int compare_call_detached(Detached s) {
        return Python.attach(p -> s.cmp.bind(p).callAs(int.class, s.a, s.b));
    }

    @Benchmark
    public int compare_proxy_attached(Attached s) {
        return s.proxy.compare(s.a, s.b);
    }

    @Benchmark
    public int compare_call_attached(Attached s) {
        return s.cmp.callAs(int.class, s.a, s.b);
    }

    // --- sum() over a million Java Longs ---

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long sum_view_pyjama(Million s) {
        return s.sum.callAs(long.class, s.view);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long sum_copyThenSum_pyjama(Million s) {
        return s.py.scope(p -> s.sum.callAs(long.class, p.toPython(s.list)));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long sum_precopied(Million s) {
        return s.sum.callAs(long.class, s.copy);
    }
}
