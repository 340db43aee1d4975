package dev.pyjama.internal.convert;

import static dev.pyjama.internal.convert.PyClasses.expected;
import static dev.pyjama.internal.convert.PyClasses.get;

import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.PyStr;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyValueError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * pyjama's own converters, registered like any user converter but consulted last:
 * {@code java.time} (see {@link TimeConverters}), BigDecimal, UUID, Path and enums.
 */
public final class BuiltinConverters {

    private BuiltinConverters() {}

    /** Every built-in converter except the per-class enum ones ({@link #forEnum}). */
    public static List<PyConverter<?>> all() {
        List<PyConverter<?>> all = new ArrayList<>(TimeConverters.all());
        all.add(DECIMAL);
        all.add(UUIDS);
        all.add(PATHS);
        all.add(ENUM_NAMES);
        return List.copyOf(all);
    }

    /**
     * {@link BigDecimal} and {@code decimal.Decimal}, exactly, through their shared scientific string
     * form: unscaled value and scale survive ({@code 1.50} stays {@code 1.50}, {@code 1E+3} stays
     * {@code 1E+3}). Towards Java, a Python int or float is accepted too (a float by its exact binary
     * value, as {@code Decimal(float)}); NaN and infinities have no BigDecimal form and are a
     * ValueError; {@code Decimal('-0')} becomes zero.
     */
    public static final PyConverter<BigDecimal> DECIMAL = new Simple<>(BigDecimal.class,
            (py, v) -> get(py, "decimal", "Decimal").call(v.toString()),
            BuiltinConverters::bigDecimal);

    /** The natural Java value of a {@code decimal.Decimal}: a BigDecimal, or a Double for NaN and infinities. */
    public static final PyConverter<Object> NATURAL_DECIMAL = new Simple<>(Object.class,
            (py, v) -> {
                throw new UnsupportedOperationException();
            },
            o -> o.callMethod("is_finite").isTruthy() ? bigDecimal(o) : (Object) o.toJava(double.class));

    private static BigDecimal bigDecimal(PyObject o) {
        try (Python py = Python.attach()) {
            if (o.isInstance(get(py, "decimal", "Decimal"))) {
                if (!o.callMethod("is_finite").isTruthy()) {
                    throw new PyValueError("Decimal('" + o.str() + "') has no BigDecimal form");
                }
                String text = o.str();
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw new PyValueError("Decimal('" + text + "') is beyond BigDecimal's range (its scale is an int)");
                }
            }
            if (o.is(dev.pyjama.PyInt.class)) {
                return new BigDecimal(o.toJava(BigInteger.class));
            }
            if (o.is(dev.pyjama.PyFloat.class)) {
                double d = o.toJava(double.class);
                if (!Double.isFinite(d)) {
                    throw new PyValueError("float " + d + " has no BigDecimal form");
                }
                return new BigDecimal(d);
            }
            throw expected("decimal.Decimal, int or float", o);
        }
    }

    /** {@link UUID} and {@code uuid.UUID}, through the canonical string form. */
    public static final PyConverter<UUID> UUIDS = new Simple<>(UUID.class,
            (py, v) -> get(py, "uuid", "UUID").call(v.toString()),
            o -> {
                try (Python py = Python.attach()) {
                    if (!o.isInstance(get(py, "uuid", "UUID"))) {
                        throw expected("uuid.UUID", o);
                    }
                }
                return UUID.fromString(o.str());
            });

    /**
     * {@link Path} (of the default file system) and {@code pathlib.Path}. Towards Java, any
     * {@code os.PathLike} whose {@code __fspath__} gives a str, or a str itself, is accepted.
     */
    public static final PyConverter<Path> PATHS = new Simple<>(Path.class,
            (py, v) -> {
                if (v.getFileSystem() != FileSystems.getDefault()) {
                    throw new IllegalArgumentException("only paths of the default file system convert to pathlib.Path,"
                            + " not " + v.getFileSystem());
                }
                return get(py, "pathlib", "Path").call(v.toString());
            },
            o -> {
                PyObject text = o;
                if (!o.is(PyStr.class)) {
                    if (!o.hasAttr("__fspath__")) {
                        throw expected("os.PathLike or str", o);
                    }
                    text = o.callMethod("__fspath__");
                    if (!text.is(PyStr.class)) {
                        throw expected("a path whose __fspath__() is a str", text);
                    }
                }
                String s = text.toJava(String.class);
                try {
                    return Path.of(s);
                } catch (InvalidPathException e) {
                    throw new PyValueError("not a valid Java path: " + e.getMessage());
                }
            });

    /** Any enum constant towards Python: its {@link Enum#name()} as a str. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static final PyConverter<Enum<?>> ENUM_NAMES = new Simple<>((Class<Enum<?>>) (Class) Enum.class,
            (py, v) -> py.str(v.name()),
            o -> {
                throw new IllegalArgumentException("convert to a specific enum class, not Enum");
            });

    /**
     * The converter to one enum class: from a str holding a constant's name, or from a Python
     * {@code enum.Enum} member (by its {@code name}).
     */
    public static <E extends Enum<E>> PyConverter<E> forEnum(Class<E> type) {
        return new Simple<>(type, (py, v) -> py.str(v.name()), o -> enumConstant(type, o));
    }

    private static <E extends Enum<E>> E enumConstant(Class<E> type, PyObject o) {
        PyObject name = o;
        if (!o.is(PyStr.class)) {
            try (Python py = Python.attach()) {
                if (!o.isInstance(get(py, "enum", "Enum"))) {
                    throw expected("str (an enum constant's name)", o);
                }
            }
            name = o.getAttr("name");
        }
        String s = name.toJava(String.class);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            String constants = Arrays.toString(type.getEnumConstants());
            if (constants.length() > 200) {
                constants = constants.substring(0, 200) + "...";
            }
            throw new PyValueError("'" + s + "' is not a constant of " + type.getName() + " " + constants);
        }
    }
}
