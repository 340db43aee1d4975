package dev.pyjama.internal.convert;

import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.TypeChecks;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The scalars of numpy and pandas data that Python's own types do not cover, as users meet them in
 * a column: {@code numpy.datetime64} and {@code timedelta64} (any unit), the nanoseconds of
 * {@code pandas.Timestamp} and {@code Timedelta} (subclasses of {@code datetime} and
 * {@code timedelta}, whose own fields stop at microseconds), and the missing values {@code NaT}
 * (pandas' and numpy's) and {@code pandas.NA}.
 *
 * <p>A missing value is treated as {@code None} is: {@code null} as {@code Object}, empty as an
 * {@code Optional}, and a {@code TypeError} for any other target, so a missing value never hides
 * as a Java null. Nothing here imports numpy or pandas: types are told by name, and only on paths
 * that the built-in types did not take.
 */
final class DataScalars {

    private DataScalars() {}

    /** The natural value of a datetime64 (LocalDateTime), timedelta64 (Duration) or NA / NaT (null). */
    static final PyConverter<Object> NATURAL = new Simple<>(Object.class,
            (py, v) -> {
                throw new UnsupportedOperationException();
            },
            DataScalars::natural);

    /** Whether {@code o} (borrowed) is of a type that {@link #NATURAL} converts. */
    static boolean isNatural(long o) {
        String t = TypeChecks.typeName(o);
        return t.equals("datetime64") || t.equals("timedelta64") || t.equals("NAType") || t.equals("NaTType");
    }

    /** Whether {@code o} (borrowed) is {@code pandas.NA}, {@code pandas.NaT} or a numpy {@code NaT}. */
    static boolean isMissing(long o) {
        String t = TypeChecks.typeName(o);
        if (t.equals("NAType") || t.equals("NaTType")) {
            return true;
        }
        if (t.equals("datetime64") || t.equals("timedelta64")) {
            long s = CApi.newStr(o);
            try {
                return Strings.toJava(s).equals("NaT");
            } finally {
                CApi.decRef(s);
            }
        }
        return false;
    }

    private static Object natural(PyObject o) {
        if (isMissing(ApiAccess.handles().borrowedAddress(o))) {
            return null; // NA, NaT
        }
        String t = o.type().name();
        if (t.equals("datetime64")) {
            return datetime64(o);
        }
        if (t.equals("timedelta64")) {
            return timedelta64(o);
        }
        throw new AssertionError(t); // isNatural said it was one of these
    }

    /** The TypeError for a missing value where {@code target} cannot be null, as for None. */
    static PyTypeError missing(PyObject o, String target) {
        return new PyTypeError("expected " + target + ", got " + o.repr() + " (a missing value; convert to Optional<"
                + target + "> or Object to accept it)");
    }

    /** Throws {@link #missing} if {@code o} is a missing value. */
    static void refuseMissing(PyObject o, String target) {
        if (isMissing(ApiAccess.handles().borrowedAddress(o))) {
            throw missing(o, target);
        }
    }

    /** A {@code numpy.datetime64}'s wall time (numpy's times have no zone), or null for any other object. */
    static LocalDateTime datetime64OrNull(PyObject o) {
        return o.type().name().equals("datetime64") ? datetime64(o) : null;
    }

    /** A {@code numpy.timedelta64} as a Duration, or null for any other object. */
    static Duration timedelta64OrNull(PyObject o) {
        return o.type().name().equals("timedelta64") ? timedelta64(o) : null;
    }

    private static LocalDateTime datetime64(PyObject o) {
        refuseMissing(o, "LocalDateTime");
        Unit u = unitOf(o);
        String unit = u.name();
        long count = u.count();
        long v = o.callMethod("astype", "int64").toJava(long.class);
        LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
        return switch (unit) {
            case "Y" -> epoch.plusYears(Math.multiplyExact(v, count));
            case "M" -> epoch.plusMonths(Math.multiplyExact(v, count));
            default -> LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC).plus(span(unit, Math.multiplyExact(v, count)));
        };
    }

    private static Duration timedelta64(PyObject o) {
        refuseMissing(o, "Duration");
        Unit u = unitOf(o);
        if (u.name().equals("Y") || u.name().equals("M") || u.name().equals("generic")) {
            throw new PyTypeError("a numpy.timedelta64 in unit '" + u.name() + "' has no fixed length for a Java Duration");
        }
        return span(u.name(), Math.multiplyExact(o.callMethod("astype", "int64").toJava(long.class), u.count()));
    }

    /** {@code n} of numpy's fixed-length unit {@code unit}. */
    private static Duration span(String unit, long n) {
        return switch (unit) {
            case "W" -> Duration.ofDays(Math.multiplyExact(n, 7));
            case "D" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            case "s" -> Duration.ofSeconds(n);
            case "ms" -> Duration.ofMillis(n);
            case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000));
            case "ns" -> Duration.ofNanos(n);
            case "ps" -> Duration.ofNanos(n / 1000);
            case "fs" -> Duration.ofNanos(n / 1_000_000);
            case "as" -> Duration.ofNanos(n / 1_000_000_000);
            default -> throw new PyTypeError("a numpy time in unit '" + unit + "' has no Java equivalent");
        };
    }

    /** A numpy time's unit and how many of it one step is ({@code numpy.datetime_data(o.dtype)}). */
    private record Unit(String name, long count) {}

    private static Unit unitOf(PyObject o) {
        // numpy is imported: o is one of its objects
        try (Python py = Python.attach()) {
            PyObject data = py.importModule(o.type().getAttr("__module__").str()).callMethod("datetime_data", o.getAttr("dtype"));
            return new Unit(data.getItem(0).toJava(String.class), data.getItem(1).toJava(long.class));
        }
    }

    /** A pandas {@code Timestamp}'s nanoseconds beyond its microseconds (0 for any other datetime). */
    static int extraNanos(PyObject datetime) {
        return isPandas(datetime) && datetime.hasAttr("nanosecond") ? datetime.getAttr("nanosecond").toJava(int.class) : 0;
    }

    /** A pandas {@code Timedelta}'s nanoseconds beyond its microseconds (0 for any other timedelta). */
    static long extraNanosOfDelta(PyObject timedelta) {
        return isPandas(timedelta) && timedelta.hasAttr("nanoseconds") ? timedelta.getAttr("nanoseconds").toJava(long.class) : 0;
    }

    private static boolean isPandas(PyObject o) {
        String module = o.type().getAttr("__module__").str();
        return module.equals("pandas") || module.startsWith("pandas.");
    }
}
