package dev.pyjama.internal.convert;

import dev.pyjama.PyConverter;
import dev.pyjama.internal.convert.BuiltinConverters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link PyConverter}s that {@link Conversions} consults, in this order of precedence:
 * <ol>
 *   <li>converters registered with {@code PyConverters.register}, newest first;</li>
 *   <li>converters found once with {@link ServiceLoader} ({@code provides dev.pyjama.PyConverter
 *       with ...}, or {@code META-INF/services/dev.pyjama.PyConverter} on the class path), in the
 *       order the loader finds them;</li>
 *   <li>the built-in ones: {@code java.time}, BigDecimal, UUID, Path, enums.</li>
 * </ol>
 * Towards Python the first converter whose {@link PyConverter#javaType()} is the value's class or a
 * supertype of it wins; towards Java the first whose type is exactly the target class. The answer
 * is cached per class, and the caches are replaced on every registration.
 *
 * <p>The primitive fast paths of {@link Conversions} (String, the boxed primitives, BigInteger,
 * byte[], PyObject, Py) are decided before any converter is asked and cannot be overridden.
 */
public final class ConverterRegistry {

    private static final System.Logger LOG = System.getLogger("dev.pyjama");

    private static final CopyOnWriteArrayList<PyConverter<?>> REGISTERED = new CopyOnWriteArrayList<>();
    private static final List<PyConverter<?>> BUILTIN = BuiltinConverters.all();
    private static volatile List<PyConverter<?>> discovered;
    private static volatile Caches caches = new Caches();

    /** Lookups so far, by class; {@code Optional.empty()} records "no converter". */
    private static final class Caches {
        final ConcurrentHashMap<Class<?>, Optional<PyConverter<?>>> toPython = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Class<?>, Optional<PyConverter<?>>> toJava = new ConcurrentHashMap<>();
    }

    private ConverterRegistry() {}

    /** Adds a converter; it takes precedence over those registered before and over the built-in ones. */
    public static void register(PyConverter<?> converter) {
        REGISTERED.add(0, converter);
        caches = new Caches();
    }

    /** The converter for values of class {@code c} towards Python, or null. */
    static PyConverter<?> forValue(Class<?> c) {
        Caches k = caches;
        Optional<PyConverter<?>> hit = k.toPython.get(c);
        if (hit == null) {
            hit = Optional.ofNullable(findForValue(c));
            k.toPython.put(c, hit);
        }
        return hit.orElse(null);
    }

    /** The converter towards Java for the target class {@code c}, or null. */
    static PyConverter<?> forTarget(Class<?> c) {
        Caches k = caches;
        Optional<PyConverter<?>> hit = k.toJava.get(c);
        if (hit == null) {
            hit = Optional.ofNullable(findForTarget(c));
            k.toJava.put(c, hit);
        }
        return hit.orElse(null);
    }

    private static PyConverter<?> findForValue(Class<?> c) {
        for (List<PyConverter<?>> list : List.of(REGISTERED, discovered(), BUILTIN)) {
            for (PyConverter<?> converter : list) {
                if (converter.javaType().isAssignableFrom(c)) {
                    return converter;
                }
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static PyConverter<?> findForTarget(Class<?> c) {
        for (List<PyConverter<?>> list : List.of(REGISTERED, discovered(), BUILTIN)) {
            for (PyConverter<?> converter : list) {
                if (converter.javaType() == c) {
                    return converter;
                }
            }
        }
        if (c.isEnum()) {
            return BuiltinConverters.forEnum((Class) c);
        }
        return null;
    }

    /** The ServiceLoader converters, found on first use; a provider that fails to load is logged and skipped. */
    private static List<PyConverter<?>> discovered() {
        List<PyConverter<?>> d = discovered;
        if (d == null) {
            synchronized (ConverterRegistry.class) {
                d = discovered;
                if (d == null) {
                    d = discover();
                    discovered = d;
                }
            }
        }
        return d;
    }

    @SuppressWarnings("rawtypes")
    private static List<PyConverter<?>> discover() {
        List<PyConverter<?>> found = new ArrayList<>();
        Iterator<PyConverter> it;
        try {
            it = ServiceLoader.load(PyConverter.class).iterator();
        } catch (ServiceConfigurationError e) {
            LOG.log(System.Logger.Level.WARNING, "pyjama: cannot look up PyConverter services", e);
            return List.of();
        }
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                PyConverter<?> c = it.next();
                if (c.javaType() == null) {
                    LOG.log(System.Logger.Level.WARNING, "pyjama: ignoring PyConverter " + c.getClass().getName()
                            + ": javaType() is null");
                } else {
                    found.add(c);
                }
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "pyjama: skipping a PyConverter service that failed to load", e);
            }
        }
        return List.copyOf(found);
    }
}
