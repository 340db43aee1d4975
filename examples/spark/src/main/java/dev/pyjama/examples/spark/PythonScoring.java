package dev.pyjama.examples.spark;

import dev.pyjama.Py;
import dev.pyjama.PyBuffer;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.PyOnceCell;
import dev.pyjama.Python;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/**
 * The map step of {@link ScoringJob} in Python, in-process: the executor-side pattern to copy.
 *
 * <ul>
 *   <li>The function object Spark serialises and ships holds Java values only (the batch size, a
 *       flag). A {@code Py} or a handle captured here would fail at {@code Dataset} action time with
 *       Spark's "Task not serializable", whose cause says what to do.
 *   <li>The Python functions are looked up once per executor JVM, in a static {@link PyOnceCell}:
 *       statics are never serialised, and every task thread of the JVM shares them.
 *   <li>One attach per partition; inside it, the thread detaches while Spark's iterator produces
 *       the next batch of rows (Spark's own work, which needs no Python: with the GIL, other task
 *       threads run Python meanwhile), and a nested scope per batch frees that batch's objects.
 *   <li>Data crosses in bulk: a batch of doubles becomes one Python buffer ({@code py.arrayOf}),
 *       numpy works on it, and its result comes back in one copy ({@code toDoubleArray(into)}).
 * </ul>
 */
public final class PythonScoring implements MapPartitionsFunction<Long, Double> {

    /** How the feature step runs: numpy on each batch, or pure Python per value (no numpy needed). */
    public enum Features { NUMPY, PURE_PYTHON }

    /** The Python functions, as references that belong to no thread (looked up once per JVM). */
    private record Model(Py<PyObject> features, Py<PyObject> featuresPy, Py<PyObject> score) {}

    private static final PyOnceCell<Model> MODEL = new PyOnceCell<>();

    private final int batchSize;
    private final Features features;

    /**
     * @param batchSize how many values go to Python at once (10,000 in the job)
     * @param features numpy or pure Python for the feature step
     */
    public PythonScoring(int batchSize, Features features) {
        this.batchSize = batchSize;
        this.features = features;
    }

    private static Model model(Python py) {
        return MODEL.get(py, p -> {
            PyModule m = PyModule.fromCode(p, source("scoring.py"), "scoring.py", "scoring");
            return new Model(m.getAttr("features").unbind(), m.getAttr("features_py").unbind(),
                    m.getAttr("score").unbind());
        });
    }

    @Override
    public Iterator<Double> call(Iterator<Long> rows) {
        double[] batch = new double[batchSize];
        double[] feature = new double[batchSize];
        DoubleBuffer out = new DoubleBuffer();
        try (Python py = Python.attach()) {
            Model m = model(py);
            PyObject featuresNumpy = m.features().bind(py);
            PyObject featuresPy = m.featuresPy().bind(py);
            PyObject score = m.score().bind(py);
            int n;
            while ((n = py.detach(() -> fill(rows, batch))) > 0) {
                int k = n;
                py.scope(inner -> {
                    if (features == Features.NUMPY) {
                        PyObject values = inner.arrayOf(k == batch.length ? batch : Arrays.copyOf(batch, k));
                        try (PyBuffer view = featuresNumpy.call(values).buffer()) {
                            view.toDoubleArray(feature);
                        }
                    } else {
                        for (int i = 0; i < k; i++) {
                            feature[i] = featuresPy.callAs(double.class, batch[i]);
                        }
                    }
                    for (int i = 0; i < k; i++) {
                        out.add(score.callAs(double.class, feature[i]));
                    }
                    return null;
                });
            }
        }
        return out.iterator();
    }

    /** Pulls up to {@code batch.length} rows from Spark (detached: no Python here). */
    private static int fill(Iterator<Long> rows, double[] batch) {
        int k = 0;
        while (k < batch.length && rows.hasNext()) {
            batch[k++] = ScoringJob.input(rows.next());
        }
        return k;
    }

    static String source(String name) {
        try (InputStream in = PythonScoring.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path next to " + PythonScoring.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A growable double[] (a partition's results, handed back to Spark as an iterator). */
    private static final class DoubleBuffer {
        private double[] values = new double[1024];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        Iterator<Double> iterator() {
            return Arrays.stream(values, 0, size).iterator();
        }
    }
}
