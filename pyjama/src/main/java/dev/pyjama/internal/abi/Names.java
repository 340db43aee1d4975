package dev.pyjama.internal.abi;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Interned Python strings for attribute and method names, created once per interpreter and kept
 * for its lifetime, so a call by name in a loop does not build a new str each time.
 */
public final class Names {

    private static final ConcurrentHashMap<String, Long> CACHE = new ConcurrentHashMap<>();

    private Names() {}

    /**
     * The interned str for {@code name}: a borrowed reference that stays valid until the
     * interpreter is finalised. The caller holds the GIL.
     */
    public static long get(String name) {
        Long cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        long created = CApi.newInternedStr(name);
        Long raced = CACHE.putIfAbsent(name, created);
        if (raced != null) {
            CApi.decRef(created);
            return raced;
        }
        return created;
    }
}
