package dev.pyjama;

import dev.pyjama.internal.convert.ConverterRegistry;
import java.util.Objects;

/**
 * The registry of {@link PyConverter}s that {@link Python#toPython(Object)} and
 * {@link PyObject#toJava} consult for types beyond the built-in ones.
 */
public final class PyConverters {

    private PyConverters() {}

    /**
     * Registers a converter for all threads. A later registration for the same type wins.
     *
     * @param converter the converter
     * @throws NullPointerException if {@code converter} or its {@code javaType()} is null
     */
    public static void register(PyConverter<?> converter) {
        Objects.requireNonNull(converter, "converter");
        Objects.requireNonNull(converter.javaType(), "converter.javaType()");
        ConverterRegistry.register(converter);
    }
}
