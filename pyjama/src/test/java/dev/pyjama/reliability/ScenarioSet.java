package dev.pyjama.reliability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named pieces of test code that run in a forked JVM ({@link ScenarioMain}); each reports pass or
 * fail on its own, and a crash fails the scenario that was running and every one after it. A set
 * has a public no-argument constructor that does not touch Python: the parent builds it only to
 * list the names.
 */
interface ScenarioSet {

    /** A scenario's body; JUnit assertions work in it. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** The scenarios, in the order they run. */
    Map<String, Body> scenarios();

    /** A small builder for {@link #scenarios()}. */
    final class Builder {
        private final Map<String, Body> map = new LinkedHashMap<>();

        Builder add(String name, Body body) {
            if (map.put(name, body) != null) {
                throw new IllegalArgumentException("duplicate scenario " + name);
            }
            return this;
        }

        Map<String, Body> build() {
            return map;
        }
    }
}
