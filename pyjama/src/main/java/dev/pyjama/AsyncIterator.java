package dev.pyjama;

import dev.pyjama.exceptions.PyStopAsyncIteration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An async iterator seen from Java as a blocking {@link Iterator} ({@link PyObject#asyncIterator}):
 * each step is {@code pyjama._anext(it)}, run as a task with {@link PyObject#toFuture} and waited
 * for without the GIL.
 *
 * @param <T> the Java type of the items
 */
final class AsyncIterator<T> implements Iterator<T> {

    private final Py<PyObject> iterator;
    private final Class<T> type;
    private boolean fetched;
    private boolean ended;
    private T next;

    AsyncIterator(Py<PyObject> iterator, Class<T> type) {
        this.iterator = iterator;
        this.type = type;
    }

    @Override
    public boolean hasNext() {
        if (fetched) {
            return !ended;
        }
        if (ended) {
            return false;
        }
        CompletableFuture<T> step = Python.attach(py -> py.importModule("pyjama").getAttr("_anext")
                .call(iterator.bind(py)).toFuture(type));
        try {
            next = step.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof PyStopAsyncIteration) {
                ended = true;
                iterator.close();
                return false;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
        fetched = true;
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        fetched = false;
        T item = next;
        next = null;
        return item;
    }
}
