package dev.pyjama.examples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyZeroDivisionError;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job with its map step in Python gives the pure-Java job's doubles, bit for bit, in local[2]. */
class ScoringJobTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = ScoringJob.localSession(2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Element by element, as raw bits: -0.0 against 0.0 or two NaN payloads would differ. */
    static void assertBitwiseEqual(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) {
            long e = Double.doubleToRawLongBits(expected.get(i));
            long a = Double.doubleToRawLongBits(actual.get(i));
            if (e != a) {
                fail("row " + i + ": Java " + expected.get(i) + ", Python " + actual.get(i));
            }
        }
    }

    @Test
    void numpyBatchesAndThePythonModelGiveJavasDoubles() {
        long n = 1_000_000;   // 4 partitions on 2 task threads: each thread attaches twice
        Dataset<Long> rows = ScoringJob.rows(spark, n, 4);
        long t0 = System.nanoTime();
        List<Double> java = ScoringJob.withJava(rows).collectAsList();
        long t1 = System.nanoTime();
        List<Double> python = ScoringJob.withPython(rows, PythonScoring.Features.NUMPY).collectAsList();
        long t2 = System.nanoTime();
        assertBitwiseEqual(java, python);
        long belowKnee = LongStream.range(0, n)
                .filter(i -> JavaScoring.feature(ScoringJob.input(i)) < JavaScoring.KNEE).count();
        assertTrue(belowKnee > 0 && belowKnee < n, "both branches of the model: " + belowKnee + " below the knee");
        System.out.printf("ScoringJobTest: %,d values, Java %.2f s, Python (numpy + model) %.2f s (one run each, "
                + "with the collect; the first pays Spark's warm-up: examples/spark/run --bench times them)%n", n, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    @Test
    void pythonPerValueGivesJavasDoublesToo() {
        Dataset<Long> rows = ScoringJob.rows(spark, 100_003, 3);   // a last batch shorter than 10,000
        assertBitwiseEqual(ScoringJob.withJava(rows).collectAsList(),
                ScoringJob.withPython(rows, PythonScoring.Features.PURE_PYTHON).collectAsList());
    }

    /** What a user gets who captures a {@code Py} in the function Spark ships: the advice, before any task runs. */
    @Test
    void aCapturedPyFailsWithAdvice() {
        Py<PyObject> len = Python.attach(py -> py.eval("len").unbind());
        try {
            MapPartitionsFunction<Long, Double> wrong = (Iterator<Long> it) -> {
                Python.attach(py -> len.bind(py));   // never runs
                return List.<Double>of().iterator();
            };
            Dataset<Double> job = ScoringJob.rows(spark, 10, 1).mapPartitions(wrong, Encoders.DOUBLE());
            Exception e = assertThrows(Exception.class, job::count);
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t).append('\n');
            }
            String all = messages.toString();
            assertTrue(all.contains("Task not serializable"), all);
            assertTrue(all.contains("a dev.pyjama.Py cannot be serialised"), all);
            assertTrue(all.contains("PyOnceCell"), all);
            System.out.println("ScoringJobTest: a captured Py gives:\n" + all.lines().limit(3)
                    .map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse(""));
        } finally {
            len.close();
        }
    }

    /** A Python error in a task reaches the driver as the Java exception, Python's type and message in it. */
    @Test
    void aPythonErrorInATaskReachesTheDriver() {
        MapPartitionsFunction<Long, Double> failing = (Iterator<Long> it) -> Python.attach(py -> {
            py.eval("1 / 0");
            return List.<Double>of().iterator();
        });
        Dataset<Double> job = ScoringJob.rows(spark, 10, 1).mapPartitions(failing, Encoders.DOUBLE());
        Exception e = assertThrows(Exception.class, job::count);
        Throwable cause = e;
        while (cause != null && !(cause instanceof PyZeroDivisionError)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "the cause chain holds the PyZeroDivisionError: " + e);
        assertEquals("ZeroDivisionError", ((PyZeroDivisionError) cause).pythonTypeName());
        assertTrue(cause.getMessage().contains("division by zero"), cause.getMessage());
    }
}
