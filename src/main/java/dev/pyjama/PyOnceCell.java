package dev.pyjama;

import dev.pyjama.internal.runtime.Interpreter;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A value initialised once per interpreter (PyO3's {@code PyOnceLock}), typically a cached module
 * or type: {@code static final PyOnceCell<Py<PyModule>> NUMPY = new PyOnceCell<>();} then
 * {@code NUMPY.get(py, p -> p.importModule("numpy").unbind(PyModule.class))}.
 *
 * <p>Exactly one initialiser runs; other threads that ask meanwhile wait for it with the GIL
 * released, so an initialiser that itself releases the GIL (an import does, a {@code detach} does)
 * cannot deadlock with them. If the initialiser throws, nothing is stored and the next
 * {@code get} tries again.
 *
 * @param <T> the value's type; store Python objects as {@link Py}, never as scope-bound handles
 */
public final class PyOnceCell<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private volatile T value;

    /** Creates an empty cell. */
    public PyOnceCell() {}

    /**
     * The value, initialising it with {@code init} if this is the first request.
     *
     * @param py the attach token of the calling thread
     * @param init computes the value (not null); runs at most once unless it throws
     * @return the value
     * @throws IllegalStateException if {@code init} asks this same cell for its value (recursion)
     */
    public T get(Python py, Function<Python, ? extends T> init) {
        Objects.requireNonNull(init, "init");
        T v = value;
        if (v != null) {
            return v;
        }
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("PyOnceCell initialiser asked for its own value");
        }
        while (!lock.tryLock()) {
            // Another thread is initialising, perhaps waiting for the GIL: wait without holding it.
            py.detach(() -> {
                lock.lock();
                lock.unlock();
                return null;
            });
        }
        try {
            v = value;
            if (v == null) {
                v = Objects.requireNonNull(init.apply(py), "PyOnceCell initialiser returned null");
                value = v;
            }
            return v;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The value if it has been initialised.
     *
     * @return the value, or null
     */
    public T getIfPresent() {
        T v = value;
        return value;
    }
}
