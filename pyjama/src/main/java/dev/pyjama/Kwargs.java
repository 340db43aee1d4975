package dev.pyjama;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keyword arguments for a call, in order: {@code f.call(args("a", "b"), kw("sep", ", ").and("end", ""))}.
 * An immutable-after-building {@link Map} from names to Java values (converted when the call is made).
 */
public final class Kwargs extends AbstractMap<String, Object> {

    private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

    private Kwargs() {}

    /**
     * Starts keyword arguments with one entry.
     *
     * @param name the keyword
     * @param value its value (null is None)
     * @return the keyword arguments
     */
    public static Kwargs kw(String name, Object value) {
        return new Kwargs().and(name, value);
    }

    /**
     * Positional arguments, for symmetry with {@link #kw}: {@code args(1, 2)} is {@code new Object[] {1, 2}}.
     *
     * @param values the arguments
     * @return the same values as an array
     */
    public static Object[] args(Object... values) {
        return values;
    }

    /**
     * Adds one more keyword argument.
     *
     * @param name the keyword
     * @param value its value (null is None)
     * @return this
     * @throws IllegalArgumentException if {@code name} was given already
     */
    public Kwargs and(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("keyword argument '" + name + "' given twice");
        }
        entries.put(name, value);
        return this;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return java.util.Collections.unmodifiableMap(entries).entrySet();
    }
}
