package dev.pyjama.examples.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;

/** The map step of {@link ScoringJob} in pure Java: the same operations as scoring.py, in the same order. */
public final class JavaScoring implements MapPartitionsFunction<Long, Double> {

    static final double W_LOW = 0.75, W_HIGH = -0.125, BIAS = 2.0, KNEE = 1.5;

    static double feature(double x) {
        return Math.sqrt(x * x + 1.0) - 0.5 * x;
    }

    static double score(double f) {
        if (f < KNEE) {
            return W_LOW * f + BIAS;
        }
        return W_HIGH * (f - KNEE) + (W_LOW * KNEE + BIAS);
    }

    @Override
    public Iterator<Double> call(Iterator<Long> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Double next() {
                return score(feature(ScoringJob.input(rows.next())));
            }
        };
    }
}
