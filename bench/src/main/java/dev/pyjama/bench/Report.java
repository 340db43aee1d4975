package dev.pyjama.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's CSV result ({@code -rf csv}) into the report's tables: each pyjama figure next to its
 * floor (or reference), the ratio pyjama/floor in time (for throughput: floor ops/s over pyjama
 * ops/s, so that above 1 always means slower), the target and PASS/MISS. Rows whose
 * benchmarks were not run (filtered out) are left out.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.pyjama.bench.Report bench/target/jmh-result.csv}
 */
public final class Report {
    private Report() {}

    record Score(double score, double error, String unit, boolean throughput) {
        String show() {
            return fmt(score) + " ± " + fmt(error) + " " + unit;
        }
    }

    record Row(String section, String label, String pyjama, String floor, String floorName, double target) {}

    static final double NONE = Double.NaN;

    static final List<Row> ROWS = List.of(
            new Row("1. Call overhead", "`f(x)` long in, long out", "CallBench.callLong_pyjama", "CallBench.callLong_raw", "raw FFM", 1.0),
            new Row("1. Call overhead", "`g()` returning None", "CallBench.callNoArg_pyjama", "CallBench.callNoArg_raw", "raw FFM", 1.2),
            new Row("1. Call overhead", "`obj.method(x)` by name", "CallBench.callMethod_pyjama", "CallBench.callMethod_raw", "raw FFM", NONE),
            new Row("2. Attribute read", "`math.pi` as double", "CallBench.getAttr_pyjama", "CallBench.getAttr_raw", "raw FFM", 1.2),
            new Row("3. Attach + release", "attach + release, thread keeps its state", "AttachBench.attachRelease_pyjama", "AttachBench.attachRelease_raw", "PyGILState_Ensure+Release", 1.2),
            new Row("4. N-thread throughput (attach + f(x) + release; ops/s, all threads)", "1 thread", "ThroughputBench.threads1_pyjama", "ThroughputBench.threads1_raw", "raw FFM", NONE),
            new Row("4. N-thread throughput (attach + f(x) + release; ops/s, all threads)", "2 threads", "ThroughputBench.threads2_pyjama", "ThroughputBench.threads2_raw", "raw FFM", NONE),
            new Row("4. N-thread throughput (attach + f(x) + release; ops/s, all threads)", "4 threads", "ThroughputBench.threads4_pyjama", "ThroughputBench.threads4_raw", "raw FFM", NONE),
            new Row("5. 1,000-char String round trip", "ASCII", "StringBench.roundTrip_pyjama[kind=ascii]", "StringBench.roundTrip_raw[kind=ascii]", "naive raw UTF-8", 0.4),
            new Row("5. 1,000-char String round trip", "non-Latin-1 (BMP)", "StringBench.roundTrip_pyjama[kind=nonlatin1]", "StringBench.roundTrip_raw[kind=nonlatin1]", "naive raw UTF-8", 0.4),
            new Row("6. Large containers (reference: CPython builds the same container)", "list 1,000,000 ints → Python, from `List<Long>`", "ContainerBench.listToPython_fromList_pyjama", "ContainerBench.listToPython_cpython", "`list(range(n))`", 1.5),
            new Row("6. Large containers (reference: CPython builds the same container)", "list 1,000,000 ints → Python, from `long[]`", "ContainerBench.listToPython_fromLongArray_pyjama", "ContainerBench.listToPython_cpython", "`list(range(n))`", 1.5),
            new Row("6. Large containers (reference: CPython builds the same container)", "list 1,000,000 ints → Java `List<Long>`", "ContainerBench.listToJava_toList_pyjama", "ContainerBench.listToPython_cpython", "`list(range(n))`", 1.5),
            new Row("6. Large containers (reference: CPython builds the same container)", "list 1,000,000 ints → Java `long[]`", "ContainerBench.listToJava_toLongArray_pyjama", "ContainerBench.listToPython_cpython", "`list(range(n))`", 1.5),
            new Row("6. Large containers (reference: CPython builds the same container)", "dict 100,000 int→int → Python, from `Map<Long,Long>`", "ContainerBench.dictToPython_pyjama", "ContainerBench.dictToPython_cpython", "`dict(zip(range(n), range(n)))`", 1.5),
            new Row("6. Large containers (reference: CPython builds the same container)", "dict 100,000 int→int → Java `Map<Long,Long>`", "ContainerBench.dictToJava_pyjama", "ContainerBench.dictToPython_cpython", "`dict(zip(range(n), range(n)))`", 1.5),
            new Row("6b. Large containers against the raw FFM floor (no target; for the optimiser)", "list → Python, from `long[]`", "ContainerBench.listToPython_fromLongArray_pyjama", "ContainerBench.listToPython_fromLongArray_raw", "raw FFM loop", NONE),
            new Row("6b. Large containers against the raw FFM floor (no target; for the optimiser)", "list → Java `List<Long>`", "ContainerBench.listToJava_toList_pyjama", "ContainerBench.listToJava_toList_raw", "raw FFM loop", NONE),
            new Row("6b. Large containers against the raw FFM floor (no target; for the optimiser)", "list → Java `long[]`", "ContainerBench.listToJava_toLongArray_pyjama", "ContainerBench.listToJava_toLongArray_raw", "raw FFM loop", NONE),
            new Row("6b. Large containers against the raw FFM floor (no target; for the optimiser)", "dict → Python", "ContainerBench.dictToPython_pyjama", "ContainerBench.dictToPython_raw", "raw FFM loop", NONE),
            new Row("6b. Large containers against the raw FFM floor (no target; for the optimiser)", "dict → Java", "ContainerBench.dictToJava_pyjama", "ContainerBench.dictToJava_raw", "raw FFM loop", NONE),
            new Row("7. numpy array of 10,000,000 float64", "sum in Java over the buffer, zero-copy", "NumpyBench.sum_zeroCopy_pyjama", "NumpyBench.sum_javaArray", "same sum over a `double[]`", 2.0),
            new Row("7. numpy array of 10,000,000 float64", "sum in Java, raw `PyObject_GetBuffer` (for scale)", "NumpyBench.sum_zeroCopy_raw", "NumpyBench.sum_javaArray", "same sum over a `double[]`", NONE),
            new Row("7. numpy array of 10,000,000 float64", "numpy → `double[]` (copy)", "NumpyBench.toJava_copy_pyjama", "NumpyBench.toJava_copy_raw", "raw GetBuffer + bulk copy", NONE),
            new Row("7. numpy array of 10,000,000 float64", "`double[]` → numpy (copy)", "NumpyBench.fromJava_copy_pyjama", "NumpyBench.fromJava_copy_raw", "raw `numpy.empty` + bulk copy", NONE),
            new Row("8. 1,000 Java-callable calls from Python", "`for i in range(1000): f(i)`", "UpcallBench.loop1000_javaFunction_pyjama", "UpcallBench.loop1000_pythonFunction", "same loop, Python `f`", NONE),
            new Row("9. JVM start to first Python result (wall time of the process)", "pyjama, `-Dpyjama.python=<libpython.so>` (location known)", "StartupBench.startup_pyjama_lib", "StartupBench.startup_raw", "raw dlopen program", 1.2),
            new Row("9. JVM start to first Python result (wall time of the process)", "pyjama, `-Dpyjama.python=<python3>` (asks python for its libpython)", "StartupBench.startup_pyjama_exe", "StartupBench.startup_raw", "raw dlopen program", 1.2),
            new Row("9. JVM start to first Python result (wall time of the process)", "`python3 -c \"print(1+1)\"` (for scale)", "StartupBench.startup_python", "StartupBench.startup_raw", "raw dlopen program", NONE),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`double[]` → numpy float64 (`arrayOf` + `asarray`)", "BulkBench.float64_toPython_pyjama", "BulkBench.float64_toPython_raw", "raw `numpy.empty` + bulk copy", 1.2),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`long[]` → numpy int64 (`arrayOf` + `asarray`)", "BulkBench.int64_toPython_pyjama", "BulkBench.int64_toPython_raw", "raw `numpy.empty` + bulk copy", 1.2),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`byte[]` → `bytes` (`py.bytes`)", "BulkBench.bytes_toPython_pyjama", "BulkBench.bytes_toPython_raw", "raw `PyBytes_FromStringAndSize(NULL, n)` + bulk copy", 1.2),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`byte[]` → `bytearray` (`py.byteArray`)", "BulkBench.bytearray_toPython_pyjama", "BulkBench.bytearray_toPython_raw", "raw `PyByteArray_FromStringAndSize(NULL, n)` + bulk copy", 1.2),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "direct `ByteBuffer` → `bytes` (`py.toPython`)", "BulkBench.directBuffer_toPython_pyjama", "BulkBench.directBuffer_toPython_raw", "raw `PyBytes_FromStringAndSize(address, n)`", 1.2),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "numpy float64 → new `double[]` (`toDoubleArray()`)", "BulkBench.float64_toJava_new_pyjama", "BulkBench.float64_toJava_new_raw", "raw `PyObject_GetBuffer` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "numpy int64 → new `long[]` (`toLongArray()`)", "BulkBench.int64_toJava_new_pyjama", "BulkBench.int64_toJava_new_raw", "raw `PyObject_GetBuffer` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`bytes` → new `byte[]` (`PyBytes.toByteArray()`)", "BulkBench.bytes_toJava_new_pyjama", "BulkBench.bytes_toJava_new_raw", "raw `PyBytes_AsStringAndSize` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "numpy float64 → kept `double[]` (`toDoubleArray(into)`)", "BulkBench.float64_toJava_into_pyjama", "BulkBench.float64_toJava_into_raw", "raw `PyObject_GetBuffer` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "numpy int64 → kept `long[]` (`toLongArray(into)`)", "BulkBench.int64_toJava_into_pyjama", "BulkBench.int64_toJava_into_raw", "raw `PyObject_GetBuffer` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`bytes` → kept `byte[]` (`buffer().toByteArray(into)`)", "BulkBench.bytes_toJava_into_pyjama", "BulkBench.bytes_toJava_into_raw", "raw `PyObject_GetBuffer` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "`bytes` → kept direct `ByteBuffer` (`buffer().copyTo(target)`)", "BulkBench.bytes_toJava_directBuffer_pyjama", "BulkBench.bytes_toJava_directBuffer_raw", "raw `PyObject_GetBuffer` + bulk copy", 1.1),
            new Row("10. Bulk data both ways (issue 21: 10,000,000 float64 / int64, 100 MB of bytes)", "a view: `buffer()` + `segment()` + `close()`, warm", "BulkBench.view_pyjama", "BulkBench.view_raw", "raw `PyObject_GetBuffer` + `PyBuffer_Release`", 2.0),
            new Row("11. Calls written the natural way (issue 21; per call)", "`x += f.call(i).toJava(Long.class)`, nested `Python.attach` per 1,000 calls, results left to the scope", "NaturalCallBench.nested_pyjama", "NaturalCallBench.nested_raw", "raw FFM, GIL held", 1.5),
            new Row("11. Calls written the natural way (issue 21; per call)", "the same after other call shapes and conversions ran (shared code paths' profiles polluted)", "NaturalCallBench.nestedPolluted_pyjama", "NaturalCallBench.nested_raw", "raw FFM, GIL held", 1.5),
            new Row("11. Calls written the natural way (issue 21; per call)", "`x += f.callAs(long.class, i)` in the same blocks", "NaturalCallBench.callAs_pyjama", "NaturalCallBench.nested_raw", "raw FFM, GIL held", 1.5),
            new Row("11. Calls written the natural way (issue 21; per call)", "`f.callAs(long.class, i)`, profiles polluted", "NaturalCallBench.callAsPolluted_pyjama", "NaturalCallBench.nested_raw", "raw FFM, GIL held", 1.5),
            new Row("11. Calls written the natural way (issue 21; per call)", "each result closed, `toJava(long.class)`, in the same blocks", "NaturalCallBench.closed_pyjama", "NaturalCallBench.nested_raw", "raw FFM, GIL held", 1.5),
            new Row("11. Calls written the natural way (issue 21; per call)", "one `Python.attach(p -> f.bind(p).call(x).toJava(Long.class))` per call", "NaturalCallBench.attachPerCall_pyjama", "NaturalCallBench.attachPerCall_raw", "raw `PyGILState_Ensure` + call + `Release`", 1.5),
            new Row("12. Python work from virtual threads (time per batch of tasks started at once)", "1,000 × `time.sleep(0.05)` in Python, one virtual thread each", "VirtualThreadBench.sleep1000_virtual", "VirtualThreadBench.sleep1000_platform64", "64-thread platform pool", 1.5),
            new Row("12. Python work from virtual threads (time per batch of tasks started at once)", "the same, every carrier retired before each batch", "VirtualThreadBench.sleep1000_virtualCold", "VirtualThreadBench.sleep1000_platform64", "64-thread platform pool", 1.5),
            new Row("12. Python work from virtual threads (time per batch of tasks started at once)", "200 × CPU-bound Python (~1 ms), one virtual thread each", "VirtualThreadBench.cpu200_virtual", "VirtualThreadBench.cpu200_platform8", "8-thread platform pool", NONE),
            new Row("14. Java from Python, Python as Java (issue 18)", "`for i in range(1000): jlist.size()` on `py.wrap(ArrayList)`", "JavaBridgeBench.loop1000_javaMethod_pyjama", "JavaBridgeBench.loop1000_javaFunction_pyjama", "same loop calling a Java function `fn(i)`", 1.5),
            new Row("14. Java from Python, Python as Java (issue 18)", "the same against UpcallBench's run", "JavaBridgeBench.loop1000_javaMethod_pyjama", "UpcallBench.loop1000_javaFunction_pyjama", "UpcallBench, Java function", 1.5),
            new Row("14. Java from Python, Python as Java (issue 18)", "`comparator.compare(a, b)` via `asInterface`, thread not attached", "JavaBridgeBench.compare_proxy_detached", "JavaBridgeBench.compare_call_detached", "`Python.attach(p -> f.bind(p).callAs(int.class, a, b))`", 1.5),
            new Row("14. Java from Python, Python as Java (issue 18)", "`comparator.compare(a, b)` via `asInterface`, thread attached", "JavaBridgeBench.compare_proxy_attached", "JavaBridgeBench.compare_call_attached", "`f.callAs(int.class, a, b)`", 1.5),
            new Row("14. Java from Python, Python as Java (issue 18)", "`sum(py.view(list))`, 1,000,000 `Long`s", "JavaBridgeBench.sum_view_pyjama", "JavaBridgeBench.sum_copyThenSum_pyjama", "`sum(py.toPython(list))` (copy, then sum)", NONE),
            new Row("14. Java from Python, Python as Java (issue 18)", "`sum(py.view(list))` against a list copied beforehand", "JavaBridgeBench.sum_view_pyjama", "JavaBridgeBench.sum_precopied", "`sum(copy)`", NONE),
            new Row("15. asyncio from Java (issue 20; time per batch)", "10,000 × `await asyncio.sleep(0.01)`, each `toFuture` from Java, `allOf(...).join()`", "AsyncBench.gather10000_java", "AsyncBench.gather10000_python", "Python's own `asyncio.gather` of the same coroutines", 1.5),
            new Row("16. Typed facades (issue 19)", "generated `BenchFacade.price(py, base, rate)` (float, float -> float)", "FacadeBench.facade_pyjama", "FacadeBench.handWritten_callAs", "hand-written `price.callAs(double.class, base, rate)`", 1.1),
            new Row("16. Typed facades (issue 19)", "the same against the handle form", "FacadeBench.facade_pyjama", "FacadeBench.handWritten_call", "hand-written `price.call(base, rate)`, `toJava`, closed", 1.1));

    /** A scaling row: the same operation on 1 and on 2 threads; the speedup is their throughput ratio. */
    record ScaleRow(String label, String one, String two, String target) {}

    static final List<ScaleRow> SCALING = List.of(
            new ScaleRow("CPU-bound loop: attach + `work(20000)` + release, own module", "ScalingBench.loop_1thread", "ScalingBench.loop_2threads", "≥ 1.8x"),
            new ScaleRow("`f(x)`: attach + call + release, own module", "ScalingBench.call_1thread", "ScalingBench.call_2threads", "≥ 1.6x"),
            new ScaleRow("`f(x)` in a nested scope of a held one, own module", "ScalingBench.callAttached_1thread", "ScalingBench.callAttached_2threads", "–"),
            new ScaleRow("`f(x)`: attach + call + release, one function shared by all threads", "ScalingBench.callShared_1thread", "ScalingBench.callShared_2threads", "–"),
            new ScaleRow("`f(x)` raw FFM (PyGILState_Ensure + vectorcall + Release), own module", "ScalingBench.callRaw_1thread", "ScalingBench.callRaw_2threads", "–"));

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Report jmh-result.csv");
            System.exit(2);
        }
        Map<String, Score> scores = read(Path.of(args[0]));
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Row row : ROWS) {
            Score p = scores.get(row.pyjama());
            Score f = scores.get(row.floor());
            if (p == null && f == null) {
                continue;
            }
            if (!row.section().equals(section)) {
                section = row.section();
                out.append("\n### ").append(section).append("\n\n");
                out.append("| operation | pyjama | floor / reference | ratio | target | |\n");
                out.append("| --- | --- | --- | --- | --- | --- |\n");
            }
            String ratio = "–";
            String verdict = "–";
            if (p != null && f != null) {
                double r = p.throughput() ? f.score() / p.score() : p.score() / f.score();
                ratio = String.format(Locale.ROOT, "%.2fx", r);
                if (!Double.isNaN(row.target())) {
                    verdict = r <= row.target() ? "PASS" : "**MISS**";
                }
            }
            String target = Double.isNaN(row.target()) ? "–" : String.format(Locale.ROOT, "≤ %.1fx", row.target());
            out.append("| ").append(row.label())
                    .append(" | ").append(p == null ? "not run" : p.show())
                    .append(" | ").append(f == null ? "not run" : f.show()).append(" (").append(row.floorName()).append(")")
                    .append(" | ").append(ratio)
                    .append(" | ").append(target)
                    .append(" | ").append(verdict).append(" |\n");
        }
        boolean header = false;
        for (ScaleRow row : SCALING) {
            Score one = scores.get(row.one());
            Score two = scores.get(row.two());
            if (one == null && two == null) {
                continue;
            }
            if (!header) {
                header = true;
                out.append("\n### 13. N-thread scaling (ops/s over all threads; target on a free-threaded build, about 1.0x with a GIL)\n\n");
                out.append("| operation | 1 thread | 2 threads | speedup | target (free-threaded) |\n");
                out.append("| --- | --- | --- | --- | --- |\n");
            }
            String speedup = one != null && two != null
                    ? String.format(Locale.ROOT, "%.2fx", two.score() / one.score()) : "–";
            out.append("| ").append(row.label())
                    .append(" | ").append(one == null ? "not run" : one.show())
                    .append(" | ").append(two == null ? "not run" : two.show())
                    .append(" | ").append(speedup)
                    .append(" | ").append(row.target()).append(" |\n");
        }
        System.out.print(out);
    }

    static Map<String, Score> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        Map<String, Score> scores = new HashMap<>();
        if (lines.isEmpty()) {
            return scores;
        }
        List<String> header = split(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(line);
            String name = cells.get(0).replaceFirst("^dev\\.pyjama\\.bench\\.", "");
            StringBuilder params = new StringBuilder();
            for (int i = 0; i < header.size() && i < cells.size(); i++) {
                if (header.get(i).startsWith("Param: ") && !cells.get(i).isEmpty()) {
                    params.append(params.isEmpty() ? "[" : ",").append(header.get(i).substring(7)).append('=').append(cells.get(i));
                }
            }
            if (!params.isEmpty()) {
                name += params + "]";
            }
            String mode = cells.get(header.indexOf("Mode"));
            double score = Double.parseDouble(cells.get(header.indexOf("Score")));
            String err = cells.get(header.indexOf("Score Error (99.9%)"));
            double error = err.isEmpty() || err.equals("NaN") ? Double.NaN : Double.parseDouble(err);
            String unit = cells.get(header.indexOf("Unit"));
            scores.put(name, new Score(score, error, unit, mode.equals("thrpt")));
        }
        return scores;
    }

    /** Splits one CSV line (JMH quotes strings and never embeds quotes). */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        double a = Math.abs(v);
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
