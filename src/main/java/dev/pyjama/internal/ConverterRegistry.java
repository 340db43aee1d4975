package dev.pyjama.internal;

import dev.pyjama.PyConverter;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registered {@link PyConverter}s, newest first. (To be completed with the conversion work.) */
public final class ConverterRegistry {

    private static final CopyOnWriteArrayList<PyConverter<?>> CONVERTERS = new CopyOnWriteArrayList<>();

    private ConverterRegistry() {}

    /** Adds a converter; it takes precedence over those registered before. */
    public static void register(PyConverter<?> converter) {
        CONVERTERS.add(0, converter);
    }
}
