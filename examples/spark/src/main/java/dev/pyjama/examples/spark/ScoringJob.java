package dev.pyjama.examples.spark;

import dev.pyjama.Python;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.LongStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark job whose map step calls Python in-process (numpy on 10,000-value batches, then a small
 * pure-Python model per value), and the same job in pure Java. {@link #main} runs both in
 * {@code local[2]} and prints what the Python step costs per 1,000,000 values against the Java
 * step: {@code examples/spark/run --bench [values] [repetitions]}.
 */
public final class ScoringJob {

    /** Values sent to Python at once. */
    public static final int BATCH = 10_000;

    private ScoringJob() {}

    /** Row {@code i}'s input value: a deterministic spread over [-5, 5), both sides of the model's knee. */
    static double input(long i) {
        return (i * 7919 % 10_000) / 1000.0 - 5.0;
    }

    /** A local Spark session with {@code threads} task threads (no UI, loopback only). */
    public static SparkSession localSession(int threads) {
        return SparkSession.builder()
                .master("local[" + threads + "]")
                .appName("pyjama-spark-example")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** Rows 0 to {@code n - 1} in {@code partitions} partitions. */
    public static Dataset<Long> rows(SparkSession spark, long n, int partitions) {
        return spark.range(0, n, 1, partitions);
    }

    /** The job with its map step in Python. */
    public static Dataset<Double> withPython(Dataset<Long> rows, PythonScoring.Features features) {
        return rows.mapPartitions(new PythonScoring(BATCH, features), Encoders.DOUBLE());
    }

    /** The same job in pure Java. */
    public static Dataset<Double> withJava(Dataset<Long> rows) {
        return rows.mapPartitions(new JavaScoring(), Encoders.DOUBLE());
    }

    /**
     * Times the two jobs on {@code args[0]} values (1,000,000) in 2 partitions, alternating,
     * {@code args[1]} times (5) after one warm-up each, and prints the medians per 1,000,000 values.
     */
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        SparkSession spark = localSession(2);
        try {
            Dataset<Long> rows = rows(spark, n, 2);
            Dataset<Double> java = withJava(rows);
            Dataset<Double> numpy = withPython(rows, PythonScoring.Features.NUMPY);
            Dataset<Double> pure = withPython(rows, PythonScoring.Features.PURE_PYTHON);
            Dataset<?>[] jobs = {java, numpy, pure};
            String[] names = {"pure Java", "Python: numpy batches + model per value", "Python: pure Python per value"};
            double[][] seconds = new double[jobs.length][reps];
            for (Dataset<?> job : jobs) {
                job.count();
            }
            for (int r = 0; r < reps; r++) {
                for (int j = 0; j < jobs.length; j++) {
                    long t0 = System.nanoTime();
                    long count = jobs[j].count();
                    seconds[j][r] = (System.nanoTime() - t0) / 1e9;
                    if (count != n) {
                        throw new AssertionError(names[j] + " gave " + count + " rows, not " + n);
                    }
                }
            }
            System.out.printf("pyjama in Spark %s, local[2], %,d values in 2 partitions, batches of %,d, "
                            + "median of %d runs; %s; load average %s%n",
                    spark.version(), n, BATCH, reps, "CPython " + Python.info().version() + " from " + Python.info().library(), loadAverage());
            double javaPerM = median(seconds[0]) * 1e6 / n;
            for (int j = 0; j < jobs.length; j++) {
                double perM = median(seconds[j]) * 1e6 / n;
                System.out.printf("  %-42s %7.3f s per 1,000,000 values%s%n", names[j], perM,
                        j == 0 ? "" : String.format("  (%+.3f s against Java, %.1fx the Java job)",
                                perM - javaPerM, perM / javaPerM));
            }
            // The steps alone, outside Spark, on this thread: what the map step costs without Spark's share.
            var steps = new java.util.LinkedHashMap<String, MapPartitionsFunction<Long, Double>>();
            steps.put("pure Java", new JavaScoring());
            steps.put("Python: numpy batches + model per value", new PythonScoring(BATCH, PythonScoring.Features.NUMPY));
            steps.put("Python: pure Python per value", new PythonScoring(BATCH, PythonScoring.Features.PURE_PYTHON));
            System.out.printf("The map step alone (one thread, no Spark), median of %d runs:%n", reps);
            double javaStep = 0;
            for (var step : steps.entrySet()) {
                double[] s = new double[reps];
                for (int r = -1; r < reps; r++) {
                    long t0 = System.nanoTime();
                    double sum = 0;
                    for (Iterator<Double> it = step.getValue().call(LongStream.range(0, n).iterator()); it.hasNext(); ) {
                        sum += it.next();
                    }
                    if (r >= 0) {
                        s[r] = (System.nanoTime() - t0) / 1e9;
                    }
                    if (Double.isNaN(sum)) {
                        throw new AssertionError();
                    }
                }
                double perM = median(s) * 1e6 / n;
                if (javaStep == 0) {
                    javaStep = perM;
                }
                System.out.printf("  %-42s %7.3f s per 1,000,000 values%s%n", step.getKey(), perM,
                        perM == javaStep ? "" : String.format("  (%.0fx the Java step)", perM / javaStep));
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        } finally {
            spark.stop();
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return String.valueOf(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
