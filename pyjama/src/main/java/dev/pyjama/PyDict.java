package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Scope;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Python {@code dict}, bound to its scope like every {@link PyObject}. Create one with
 * {@link Python#dict()}.
 *
 * <p>{@link #asMap()} is a live {@link java.util.Map} view; {@link #toMap(Class, Class)} is a Java
 * copy with converted keys and values. Keys and values given as Java values are converted with
 * {@link Python#toPython(Object)}.
 */
public final class PyDict extends PyObject {

    PyDict(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * {@code len(self)}.
     *
     * @return the number of entries
     */
    public int size() {
        return Math.toIntExact(Containers.dictSize(ptr()));
    }

    /**
     * {@code self.get(key)}, as an Optional.
     *
     * @param key the key
     * @return the value, or empty when the key is missing
     */
    public Optional<PyObject> get(Object key) {
        long v = lookup(key);
        return v == 0 ? Optional.empty() : Optional.of(result(v));
    }

    /**
     * {@code self.get(key, default)}.
     *
     * @param key the key
     * @param defaultValue returned (converted) when the key is missing
     * @return the value or the default
     */
    public PyObject get(Object key, Object defaultValue) {
        long v = lookup(key);
        return v == 0 ? result(Conversions.newToPython(defaultValue)) : result(v);
    }

    private long lookup(Object key) {
        long self = ptr();
        long k = Conversions.newToPython(key);
        try {
            return Containers.newDictItemOrZero(self, k);
        } finally {
            CApi.decRef(k);
        }
    }

    /**
     * {@code self[key] = value}.
     *
     * @param key the key (must be hashable)
     * @param value the value
     * @throws dev.pyjama.exceptions.PyTypeError if the key is not hashable
     */
    public void put(Object key, Object value) {
        setItem(key, value);
    }

    /**
     * {@code key in self}.
     *
     * @param key the key
     * @return whether it is present
     */
    public boolean containsKey(Object key) {
        long self = ptr();
        long k = Conversions.newToPython(key);
        try {
            return Containers.dictContains(self, k);
        } finally {
            CApi.decRef(k);
        }
    }

    /**
     * {@code self.setdefault(key, default)}.
     *
     * @param key the key
     * @param defaultValue stored and returned when the key is missing
     * @return the value now stored under the key
     */
    public PyObject setDefault(Object key, Object defaultValue) {
        return callMethod("setdefault", key, defaultValue);
    }

    /**
     * {@code self.pop(key)}.
     *
     * @param key the key
     * @return the removed value
     * @throws dev.pyjama.exceptions.PyKeyError if the key is missing
     */
    public PyObject pop(Object key) {
        return callMethod("pop", key);
    }

    /**
     * {@code self.pop(key, default)}.
     *
     * @param key the key
     * @param defaultValue returned when the key is missing
     * @return the removed value or the default
     */
    public PyObject pop(Object key, Object defaultValue) {
        return callMethod("pop", key, defaultValue);
    }

    /**
     * {@code self.update(other)}: a Java {@link Map}, a Python mapping, or an iterable of key/value
     * pairs, as Python's {@code dict.update} accepts.
     *
     * @param other the entries to add
     * @throws dev.pyjama.exceptions.PyTypeError if {@code other} is neither a mapping nor pairs
     */
    public void update(Object other) {
        long self = ptr();
        long o = Conversions.newToPython(other);
        try {
            if (dev.pyjama.internal.abi.TypeChecks.isDict(o)) {
                Containers.dictUpdate(self, o);
            } else {
                // Pairs or another mapping: Python's own dict.update decides.
                CApi.decRef(dev.pyjama.internal.Calls.callMethod(self, dev.pyjama.internal.abi.Names.get("update"),
                        new Object[] {other}));
            }
        } finally {
            CApi.decRef(o);
        }
    }

    /** {@code self.clear()}. */
    public void clear() {
        Containers.dictClear(ptr());
    }

    /**
     * {@code self.copy()}, a shallow copy.
     *
     * @return the new dict
     */
    public PyDict copy() {
        return Handles.wrap(scope.innermost(), Containers.newDictCopy(ptr()), PyDict.class);
    }

    /**
     * {@code self.keys()}: Python's live keys view.
     *
     * @return the {@code dict_keys} object
     */
    public PyObject keys() {
        return callMethod("keys");
    }

    /**
     * {@code self.values()}: Python's live values view.
     *
     * @return the {@code dict_values} object
     */
    public PyObject values() {
        return callMethod("values");
    }

    /**
     * {@code self.items()}: Python's live items view; each item is a 2-tuple.
     *
     * @return the {@code dict_items} object
     */
    public PyObject items() {
        return callMethod("items");
    }

    /**
     * A live Java view: lookups, {@code put}, {@code remove} and iteration act on the Python dict.
     * Keys given to {@code get}, {@code containsKey} and {@code remove} may be any convertible
     * Java value. An iteration runs over the entries as they were when it started (one state of the
     * dict, also while other threads change it); {@code remove} and {@code setValue} through it act
     * on the dict. Usable only while this handle is.
     *
     * @return the view
     */
    public Map<PyObject, PyObject> asMap() {
        ptr();
        return new MapView();
    }

    /**
     * A Java copy, keys and values converted with {@link PyObject#toJava(Class)}; insertion order kept.
     * It is the dict as it was at one moment, keys with their own values, also while other threads
     * change it.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @param keyType the Java class of the keys
     * @param valueType the Java class of the values
     * @return a new mutable map
     */
    public <K, V> Map<K, V> toMap(Class<K> keyType, Class<V> valueType) {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        Map<K, V> out = new LinkedHashMap<>();
        // The entries as they were at one moment (copied under the dict's critical section on a
        // free-threaded build), converted after the copy: converting may run Python code.
        Containers.forEachDictItem(ptr(), (k, v) -> out.put(Conversions.toJava(k, keyType),
                Conversions.toJava(v, valueType)));
        return out;
    }

    private final class MapView extends AbstractMap<PyObject, PyObject> {
        @Override
        public int size() {
            return PyDict.this.size();
        }

        @Override
        public boolean containsKey(Object key) {
            return PyDict.this.containsKey(key);
        }

        @Override
        public PyObject get(Object key) {
            return PyDict.this.get(key).orElse(null);
        }

        @Override
        public PyObject put(PyObject key, PyObject value) {
            PyObject old = get(key);
            PyDict.this.put(key, value);
            return old;
        }

        @Override
        public PyObject remove(Object key) {
            PyObject old = get(key);
            if (old != null) {
                delItem(key);
            }
            return old;
        }

        @Override
        public Set<Map.Entry<PyObject, PyObject>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<PyObject, PyObject>> iterator() {
                    // Iterate over a copy of the entries (one state of the dict, keys with their own
                    // values, also while other threads change it), so removing through the iterator
                    // is safe. The copy's references belong to the scope at once.
                    long[] items = Containers.newDictItems(ptr());
                    Scope s = scope.innermost();
                    PyObject[] handles = new PyObject[items.length];
                    for (int i = 0; i < items.length; i++) {
                        handles[i] = Handles.wrap(s, items[i], PyObject.class);
                    }
                    return new Iterator<>() {
                        private int next;
                        private PyObject last;

                        @Override
                        public boolean hasNext() {
                            return next < handles.length;
                        }

                        @Override
                        public Map.Entry<PyObject, PyObject> next() {
                            if (!hasNext()) {
                                throw new java.util.NoSuchElementException();
                            }
                            last = handles[next];
                            PyObject k = last;
                            PyObject v = handles[next + 1];
                            next += 2;
                            return new SimpleEntry<>(k, v) {
                                @Override
                                public PyObject setValue(PyObject value) {
                                    PyObject old = super.setValue(value);
                                    PyDict.this.put(k, value);
                                    return old;
                                }
                            };
                        }

                        @Override
                        public void remove() {
                            if (last == null) {
                                throw new IllegalStateException();
                            }
                            delItem(last);
                            last = null;
                        }
                    };
                }

                @Override
                public int size() {
                    return PyDict.this.size();
                }
            };
        }
    }
}
