package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Scope;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;

/**
 * A Python {@code set}, bound to its scope like every {@link PyObject}. Create one with
 * {@link Python#set(Object...)}. {@link #asSet()} is a live {@link java.util.Set} view.
 */
public final class PySet extends PyObject {

    PySet(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * {@code len(self)}.
     *
     * @return the number of elements
     */
    public int size() {
        return Math.toIntExact(Containers.setSize(ptr()));
    }

    /**
     * {@code self.add(value)}.
     *
     * @param value the element (must be hashable)
     */
    public void add(Object value) {
        long self = ptr();
        long v = Conversions.newToPython(value);
        try {
            Containers.setAdd(self, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code self.discard(value)}.
     *
     * @param value the element
     * @return whether it was present
     */
    public boolean discard(Object value) {
        long self = ptr();
        long v = Conversions.newToPython(value);
        try {
            return Containers.setDiscard(self, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code self | other}, a new set.
     *
     * @param other a set, frozenset, or Java collection
     * @return the union
     */
    public PySet union(Object other) {
        return callMethod("union", other).as(PySet.class);
    }

    /**
     * {@code self & other}, a new set.
     *
     * @param other a set, frozenset, or Java collection
     * @return the intersection
     */
    public PySet intersection(Object other) {
        return callMethod("intersection", other).as(PySet.class);
    }

    /**
     * {@code self - other}, a new set.
     *
     * @param other a set, frozenset, or Java collection
     * @return the difference
     */
    public PySet difference(Object other) {
        return callMethod("difference", other).as(PySet.class);
    }

    /** {@code self.clear()}. */
    public void clear() {
        Containers.setClear(ptr());
    }

    /**
     * A live view: {@code contains}, {@code add}, {@code remove} and iteration act on the Python set.
     *
     * @return the view
     */
    public Set<PyObject> asSet() {
        ptr();
        return new AbstractSet<>() {
            @Override
            public Iterator<PyObject> iterator() {
                // Iterate over a snapshot, so that removing through the iterator is safe.
                Iterator<PyObject> items = Handles.wrap(scope.innermost(), Containers.newListOf(ptr()), PyList.class)
                        .iterator();
                return new Iterator<>() {
                    private PyObject last;

                    @Override
                    public boolean hasNext() {
                        return items.hasNext();
                    }

                    @Override
                    public PyObject next() {
                        last = items.next();
                        return last;
                    }

                    @Override
                    public void remove() {
                        if (last == null) {
                            throw new IllegalStateException();
                        }
                        discard(last);
                        last = null;
                    }
                };
            }

            @Override
            public int size() {
                return PySet.this.size();
            }

            @Override
            public boolean contains(Object o) {
                return PySet.this.contains(o);
            }

            @Override
            public boolean add(PyObject o) {
                boolean had = PySet.this.contains(o);
                PySet.this.add(o);
                return !had;
            }

            @Override
            public boolean remove(Object o) {
                return discard(o);
            }
        };
    }
}
