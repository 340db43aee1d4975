"""The Python side of the Spark example: a numpy step on batches and a small pure-Python model.

Only exactly rounded operations (+, -, *, /, sqrt), each rounded on its own, so that the pure-Java
twin (ScoringJob.JavaScoring) gives the same doubles bit for bit.
"""
import math

# The model: a piecewise-linear score of one feature.
W_LOW, W_HIGH, BIAS, KNEE = 0.75, -0.125, 2.0, 1.5


def features(batch):
    """numpy on a batch: float64 values in (any buffer), a float64 array out."""
    import numpy as np  # here, not at the top: score() and features_py() run without numpy

    x = np.asarray(batch, dtype=np.float64)
    return np.sqrt(x * x + 1.0) - 0.5 * x


def features_py(x):
    """The same feature in pure Python, for one value (interpreters without numpy)."""
    return math.sqrt(x * x + 1.0) - 0.5 * x


def score(f):
    """The model, for one feature value."""
    if f < KNEE:
        return W_LOW * f + BIAS
    return W_HIGH * (f - KNEE) + (W_LOW * KNEE + BIAS)
