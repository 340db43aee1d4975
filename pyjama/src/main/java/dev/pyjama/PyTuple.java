package dev.pyjama;

import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.runtime.Scope;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A Python {@code tuple} (immutable), bound to its scope like every {@link PyObject}. Create one
 * with {@link Python#tuple(Object...)}.
 */
public final class PyTuple extends PyObject {

    PyTuple(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * {@code len(self)}.
     *
     * @return the number of items
     */
    public int size() {
        return Math.toIntExact(dev.pyjama.internal.abi.CApi.size(ptr()));
    }

    /**
     * {@code self[index]}; negative indices count from the end.
     *
     * @param index the index
     * @return the item
     * @throws dev.pyjama.exceptions.PyIndexError if out of range
     */
    public PyObject get(long index) {
        return result(Containers.newSequenceItem(ptr(), index));
    }

    /**
     * {@code self[from:to]}.
     *
     * @param from the start index
     * @param to the end index, exclusive
     * @return the slice, a new tuple
     */
    public PyTuple slice(long from, long to) {
        return Handles.wrap(scope.innermost(), Containers.newSequenceSlice(ptr(), from, to), PyTuple.class);
    }

    /**
     * A read-only live view as a Java list.
     *
     * @return the view
     */
    public List<PyObject> asList() {
        ptr();
        return new View();
    }

    private final class View extends AbstractList<PyObject> implements RandomAccess {
        @Override
        public PyObject get(int index) {
            Objects.checkIndex(index, size());
            return PyTuple.this.get(index);
        }

        @Override
        public int size() {
            return PyTuple.this.size();
        }
    }
}
