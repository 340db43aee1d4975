package dev.pyjama.examples.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pyjama.Python;
import dev.pyjama.PythonConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * 8 concurrent Spark tasks ({@code local[8]}) call a free-threaded CPython at once and give the
 * pure-Java job's doubles, bit for bit. Pure Python (no numpy on that interpreter). Needs its own
 * JVM (surefire forks one per test class): it starts the free-threaded CPython named by the system
 * property {@code pyjama.ft.python}, and is skipped when there is none.
 */
class FreeThreadedSparkTest {

    static final AtomicInteger ACTIVE = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();

    /** The Python step, counting how many of its calls run at the same time (one JVM: local mode). */
    record Counting(PythonScoring step) implements MapPartitionsFunction<Long, Double> {
        @Override
        public Iterator<Double> call(Iterator<Long> rows) throws Exception {
            MOST.accumulateAndGet(ACTIVE.incrementAndGet(), Math::max);
            try {
                return step.call(rows);
            } finally {
                ACTIVE.decrementAndGet();
            }
        }
    }

    @Test
    void eightConcurrentTasksOnAFreeThreadedPython() {
        String ft = System.getProperty("pyjama.ft.python", "");
        assumeTrue(!ft.isBlank() && Files.isExecutable(Path.of(ft)),
                "no free-threaded CPython given (-Dpyjama.ft.python=/path/to/python3.13t)");
        Python.initialize(PythonConfig.of(ft));
        assertTrue(Python.info().freeThreaded(), Python.info().toString());
        SparkSession spark = ScoringJob.localSession(8);
        try {
            Dataset<Long> rows = ScoringJob.rows(spark, 400_000, 8);
            List<Double> java = ScoringJob.withJava(rows).collectAsList();
            long t0 = System.nanoTime();
            List<Double> python = rows.mapPartitions(
                    new Counting(new PythonScoring(ScoringJob.BATCH, PythonScoring.Features.PURE_PYTHON)),
                    Encoders.DOUBLE()).collectAsList();
            long t1 = System.nanoTime();
            ScoringJobTest.assertBitwiseEqual(java, python);
            assertTrue(MOST.get() >= 2, "tasks in Python at once: " + MOST.get());
            assertFalse(Python.info().gilEnabled(), "the GIL came back on: " + Python.info());
            System.out.printf("FreeThreadedSparkTest: %s, %,d values in 8 tasks, up to %d in Python at once, "
                    + "%.2f s, bitwise equal to Java%n", "CPython " + Python.info().version() + " free-threaded",
                    python.size(), MOST.get(), (t1 - t0) / 1e9);
        } finally {
            spark.stop();
        }
    }
}
