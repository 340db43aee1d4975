package dev.pyjama;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A value initialised once per interpreter (PyO3's {@code PyOnceLock}), typically a cached module
 * or type: {@code static final PyOnceCell<Py<PyModule>> NUMPY = new PyOnceCell<>();} then
 * {@code NUMPY.get(py, p -> p.importModule("numpy").unbind(PyModule.class))}.
 *
 * <p>What it guarantees, on GIL and free-threaded builds alike: initialisers of one cell never run
 * at the same time, and once one has returned a value no other runs, so every {@code get} returns
 * that same value. Threads that ask while an initialiser runs wait for it the way
 * {@link Python#lock} waits, detached from Python (the GIL released; on a free-threaded build not
 * holding up a stop-the-world pause such as a garbage collection), so an initialiser that calls
 * Python, imports, releases the GIL or waits for another thread that needs Python cannot deadlock
 * with them. If the initialiser throws, nothing is stored and the exception reaches its caller
 * only; the next {@code get}, a waiting one included, runs its own initialiser.
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
     * @throws NullPointerException if {@code init} returns null (nothing is stored)
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
        // Another thread may be initialising, perhaps waiting for the GIL or for a stop-the-world
        // pause: wait detached.
        py.lock(lock);
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
        return value;
    }
}
