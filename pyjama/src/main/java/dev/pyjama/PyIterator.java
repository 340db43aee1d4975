package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.runtime.Scope;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A Python iterator (an object with {@code __next__}, such as a generator), usable as a Java
 * {@link Iterator}: {@link #hasNext()} calls Python's {@code next()} once and keeps the item until
 * {@link #next()} returns it; {@code StopIteration} ends the iteration. Items belong to the
 * innermost scope open when they are produced.
 */
public final class PyIterator extends PyObject implements Iterator<PyObject> {

    /** The item fetched by hasNext(), already owned by a scope so that nothing leaks if it is never taken. */
    private PyObject lookahead;
    /** Whether the Python iterator has raised StopIteration. */
    private boolean exhausted;

    PyIterator(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * Whether Python's {@code next(self)} gives another item (it is fetched now and kept).
     *
     * @return false once the iterator raised StopIteration
     */
    @Override
    public boolean hasNext() {
        long self = ptr();
        if (lookahead == null && !exhausted) {
            long n = CApi.newNextOrZero(self);
            if (n == 0) {
                exhausted = true;
            } else {
                lookahead = result(n);
            }
        }
        return lookahead != null;
    }

    /**
     * {@code next(self)}.
     *
     * @return the next item
     * @throws NoSuchElementException when the iterator is exhausted
     */
    @Override
    public PyObject next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the Python iterator is exhausted");
        }
        PyObject n = lookahead;
        lookahead = null;
        return n;
    }
}
