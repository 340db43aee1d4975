package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Scope;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A Python {@code list}, bound to its scope like every {@link PyObject}. Create one with
 * {@link Python#list(Object...)}.
 *
 * <p>{@link #asList()} is a live {@link java.util.List} view (reads and writes go to the Python
 * list); {@link #toList(Class)} is a Java copy with converted elements.
 */
public final class PyList extends PyObject {

    PyList(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * {@code len(self)}.
     *
     * @return the number of items
     */
    public int size() {
        return Math.toIntExact(Containers.listSize(ptr()));
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
     * {@code self[index] = value}.
     *
     * @param index the index; negative counts from the end
     * @param value the value, converted with {@link Python#toPython(Object)}
     * @throws dev.pyjama.exceptions.PyIndexError if out of range
     */
    public void set(long index, Object value) {
        setItem(index, value);
    }

    /**
     * {@code self.append(value)}.
     *
     * @param value the value to append
     */
    public void append(Object value) {
        long self = ptr();
        long v = Conversions.newToPython(value);
        try {
            Containers.listAppend(self, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code self.insert(index, value)}.
     *
     * @param index where to insert (clamped to the list, negative counts from the end, as in Python)
     * @param value the value
     */
    public void insert(long index, Object value) {
        long self = ptr();
        long v = Conversions.newToPython(value);
        try {
            Containers.listInsert(self, index, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code self.extend(iterable)}: a Java {@link Iterable} or array is converted first.
     *
     * @param iterable the values to append
     */
    public void extend(Object iterable) {
        callMethod("extend", iterable);
    }

    /**
     * {@code self.pop(index)}.
     *
     * @param index the index of the item to remove
     * @return the removed item
     * @throws dev.pyjama.exceptions.PyIndexError if out of range
     */
    public PyObject pop(long index) {
        return callMethod("pop", index);
    }

    /** {@code self.sort()}. */
    public void sort() {
        Containers.listSort(ptr());
    }

    /**
     * {@code self.sort(key=key, reverse=reverse)}.
     *
     * @param key a callable giving each item's sort key, or null
     * @param reverse whether to sort in descending order
     */
    public void sort(PyObject key, boolean reverse) {
        Map<String, Object> kw = new java.util.LinkedHashMap<>();
        kw.put("key", key);
        kw.put("reverse", reverse);
        getAttr("sort").call(new Object[0], kw);
    }

    /** {@code self.reverse()}. */
    public void reverse() {
        Containers.listReverse(ptr());
    }

    /**
     * {@code self.index(value)}.
     *
     * @param value the value to look for ({@code ==})
     * @return the first index where it is
     * @throws dev.pyjama.exceptions.PyValueError if it is not in the list
     */
    public long index(Object value) {
        long self = ptr();
        long v = Conversions.newToPython(value);
        try {
            return Containers.sequenceIndex(self, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code self[from:to]}, a new list (Python's slice rules: negative counts from the end, bounds clamp).
     *
     * @param from the start index
     * @param to the end index, exclusive
     * @return the slice
     */
    public PyList slice(long from, long to) {
        return Handles.wrap(scope.innermost(), Containers.newSequenceSlice(ptr(), from, to), PyList.class);
    }

    /**
     * {@code tuple(self)}.
     *
     * @return a tuple with the same items
     */
    public PyTuple toTuple() {
        return Handles.wrap(scope.innermost(), Containers.newListAsTuple(ptr()), PyTuple.class);
    }

    /**
     * A live view: {@code get}, {@code set}, {@code add}, {@code remove} and {@code size} act on the
     * Python list at once. Items are handles in the innermost scope; values are converted with
     * {@link Python#toPython(Object)}. Usable only while this handle is.
     *
     * @return the view
     */
    public List<PyObject> asList() {
        ptr();
        return new ListView();
    }

    /**
     * A Java copy, each item converted with {@link PyObject#toJava(Class)}: the list as it was at one
     * moment, also while other threads change it.
     *
     * @param <T> the element type
     * @param elementType the Java class of the elements
     * @return a new mutable list
     */
    public <T> List<T> toList(Class<T> elementType) {
        Objects.requireNonNull(elementType, "elementType");
        List<T> out = new ArrayList<>(size());
        // The items as they were at one moment (copied under the list's critical section on a
        // free-threaded build), converted after the copy: converting may run Python code.
        Containers.forEachItem(ptr(), (i, item) -> out.add(Conversions.toJava(item, elementType)));
        return out;
    }

    private final class ListView extends AbstractList<PyObject> implements RandomAccess {
        @Override
        public PyObject get(int index) {
            Objects.checkIndex(index, PyList.this.size());
            return PyList.this.get(index);
        }

        @Override
        public PyObject set(int index, PyObject element) {
            PyObject old = get(index);
            PyList.this.set(index, element);
            return old;
        }

        @Override
        public void add(int index, PyObject element) {
            Objects.checkIndex(index, PyList.this.size() + 1);
            PyList.this.insert(index, element);
            modCount++;
        }

        @Override
        public PyObject remove(int index) {
            Objects.checkIndex(index, PyList.this.size());
            modCount++;
            return PyList.this.pop(index);
        }

        @Override
        public int size() {
            return PyList.this.size();
        }
    }
}
