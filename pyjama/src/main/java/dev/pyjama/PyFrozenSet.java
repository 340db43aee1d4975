package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;
import java.util.Set;

/**
 * A Python {@code frozenset} (immutable, hashable). Create one with {@link Python#frozenSet(Object...)}.
 */
public final class PyFrozenSet extends PyObject {

    PyFrozenSet(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * {@code len(self)}.
     *
     * @return the number of elements
     */
    public int size() {
        return Math.toIntExact(len());
    }

    /**
     * {@code self | other}, a new frozenset.
     *
     * @param other a set, frozenset or Java collection
     * @return the union
     */
    public PyFrozenSet union(Object other) {
        return callMethod("union", other).as(PyFrozenSet.class);
    }

    /**
     * A read-only Java view of the elements (a snapshot taken now).
     *
     * @return the elements
     */
    public Set<PyObject> asSet() {
        java.util.LinkedHashSet<PyObject> out = new java.util.LinkedHashSet<>();
        for (PyObject o : this) {
            out.add(o);
        }
        return java.util.Collections.unmodifiableSet(out);
    }
}
