package dev.pyjama.internal.convert;

import static dev.pyjama.internal.convert.PyClasses.expected;
import static dev.pyjama.internal.convert.PyClasses.get;

import dev.pyjama.PyConverter;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.abi.CApi;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * {@code java.time} to Python's {@code datetime} and back.
 *
 * <p>Python keeps microseconds, Java nanoseconds: towards Python the digits below a microsecond are
 * dropped, rounding towards the past ({@code truncatedTo(ChronoUnit.MICROS)} for times and instants,
 * {@code Duration} floored to whole microseconds); towards Java everything is exact. Python's years
 * run from 1 to 9999: a Java value outside that range is a {@code ValueError}.
 *
 * <p>Time zones: a {@link ZoneOffset} is a {@code datetime.timezone}; a region zone
 * ({@code Europe/Paris}) is a {@code zoneinfo.ZoneInfo} when Python has that zone (else the
 * fixed offset of that moment), with {@code fold=1} for the second of two repeated wall times.
 * Back in Java, a tzinfo with a zone key ({@code ZoneInfo.key}, pytz's {@code zone}) that Java knows
 * gives that region; any other tzinfo gives the fixed offset {@code utcoffset()} reports.
 */
public final class TimeConverters {

    private TimeConverters() {}

    /** The converters, one per Java type. */
    public static List<PyConverter<?>> all() {
        return List.of(
                new Simple<>(LocalDate.class, TimeConverters::toPython, TimeConverters::localDate),
                new Simple<>(LocalTime.class, TimeConverters::toPython, TimeConverters::localTime),
                new Simple<>(OffsetTime.class, TimeConverters::toPython, TimeConverters::offsetTime),
                new Simple<>(LocalDateTime.class, TimeConverters::toPython, TimeConverters::localDateTime),
                new Simple<>(OffsetDateTime.class, TimeConverters::toPython, TimeConverters::offsetDateTime),
                new Simple<>(ZonedDateTime.class, TimeConverters::toPython, TimeConverters::zonedDateTime),
                new Simple<>(Instant.class, TimeConverters::toPython, TimeConverters::instant),
                new Simple<>(Duration.class, TimeConverters::toPython, TimeConverters::duration));
    }

    /** The natural Java value of a {@code datetime.date}, {@code time}, {@code datetime} or {@code timedelta}. */
    public static final PyConverter<Object> NATURAL = new Simple<>(Object.class,
            (py, v) -> {
                throw new UnsupportedOperationException();
            },
            TimeConverters::natural);

    private static Object natural(PyObject o) {
        if (DataScalars.isMissing(ApiAccess.handles().borrowedAddress(o))) {
            return null; // pandas.NaT, a datetime subclass, as None
        }
        try (Python py = Python.attach()) {
            if (o.isInstance(get(py, "datetime", "datetime"))) {
                PyObject tz = o.getAttr("tzinfo");
                if (tz.isNone() || o.callMethod("utcoffset").isNone()) {
                    return localDateTime(o);
                }
                return zoneKey(tz) != null ? zonedDateTime(o) : offsetDateTime(o);
            }
            if (o.isInstance(get(py, "datetime", "date"))) {
                return localDate(o);
            }
            if (o.isInstance(get(py, "datetime", "time"))) {
                return o.callMethod("utcoffset").isNone() ? localTime(o) : offsetTime(o);
            }
            return duration(o);
        }
    }

    // --- to Python ---

    private static PyObject toPython(Python py, LocalDate d) {
        checkYear(d.getYear());
        return get(py, "datetime", "date").call(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static PyObject toPython(Python py, LocalTime t) {
        return get(py, "datetime", "time").call(t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    }

    private static PyObject toPython(Python py, OffsetTime t) {
        return get(py, "datetime", "time").call(t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000,
                timezone(py, t.getOffset()));
    }

    private static PyObject toPython(Python py, LocalDateTime t) {
        return dateTime(py, t, py.none(), false);
    }

    private static PyObject toPython(Python py, OffsetDateTime t) {
        return dateTime(py, t.toLocalDateTime(), timezone(py, t.getOffset()), false);
    }

    private static PyObject toPython(Python py, Instant i) {
        LocalDateTime utc;
        try {
            utc = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new PyValueError(i + " is out of the range of Python's datetime (years 1 to 9999)");
        }
        return dateTime(py, utc, timezone(py, ZoneOffset.UTC), false);
    }

    private static PyObject toPython(Python py, ZonedDateTime t) {
        ZoneId zone = t.getZone();
        if (zone instanceof ZoneOffset offset) {
            return dateTime(py, t.toLocalDateTime(), timezone(py, offset), false);
        }
        PyObject tz = zoneInfo(py, zone.getId());
        if (tz == null) {
            return dateTime(py, t.toLocalDateTime(), timezone(py, t.getOffset()), false);
        }
        boolean fold = !t.withEarlierOffsetAtOverlap().getOffset().equals(t.getOffset());
        PyObject dt = dateTime(py, t.toLocalDateTime(), tz, fold);
        ZoneOffset pythonOffset = offset(dt);
        if (!t.getOffset().equals(pythonOffset)) {
            throw new PyValueError("Python's time zone database disagrees with Java's for " + t + ": Python gives "
                    + "the offset " + pythonOffset + " (convert an OffsetDateTime to keep the instant exactly)");
        }
        return dt;
    }

    private static PyObject toPython(Python py, Duration d) {
        long days = Math.floorDiv(d.getSeconds(), 86_400L);
        long seconds = Math.floorMod(d.getSeconds(), 86_400L);
        return get(py, "datetime", "timedelta").call(days, seconds, d.getNano() / 1000);
    }

    private static PyObject dateTime(Python py, LocalDateTime t, PyObject tz, boolean fold) {
        checkYear(t.getYear());
        Object[] args = {t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
                t.getSecond(), t.getNano() / 1000, tz};
        PyObject cls = get(py, "datetime", "datetime");
        return fold ? cls.call(args, Map.of("fold", 1)) : cls.call(args);
    }

    private static void checkYear(int year) {
        if (year < 1 || year > 9999) {
            throw new PyValueError("year " + year + " is out of the range of Python's datetime (1 to 9999)");
        }
    }

    private static PyObject timezone(Python py, ZoneOffset offset) {
        PyObject tzClass = get(py, "datetime", "timezone");
        if (offset.getTotalSeconds() == 0) {
            return tzClass.getAttr("utc");
        }
        return tzClass.call(get(py, "datetime", "timedelta").call(0, offset.getTotalSeconds()));
    }

    /** {@code zoneinfo.ZoneInfo(id)}, or null when Python has no such zone (or no zoneinfo). */
    private static PyObject zoneInfo(Python py, String id) {
        try {
            return get(py, "zoneinfo", "ZoneInfo").call(id);
        } catch (PyBaseException e) {
            return null;
        }
    }

    // --- to Java ---

    private static LocalDate localDate(PyObject o) {
        try (Python py = Python.attach()) {
            if (!o.isInstance(get(py, "datetime", "date"))) {
                throw expected("datetime.date", o);
            }
            if (o.isInstance(get(py, "datetime", "datetime"))) {
                throw new dev.pyjama.exceptions.PyTypeError("expected datetime.date, got datetime "
                        + "(convert it to LocalDateTime, or call its date() first)");
            }
        }
        return LocalDate.of(attr(o, "year"), attr(o, "month"), attr(o, "day"));
    }

    private static LocalTime localTime(PyObject o) {
        requireTime(o);
        if (!o.callMethod("utcoffset").isNone()) {
            throw new PyValueError("a time with a UTC offset converts to OffsetTime, not LocalTime");
        }
        return wallTime(o);
    }

    private static OffsetTime offsetTime(PyObject o) {
        requireTime(o);
        PyObject off = o.callMethod("utcoffset");
        if (off.isNone()) {
            throw new PyValueError("a time without tzinfo converts to LocalTime, not OffsetTime");
        }
        return OffsetTime.of(wallTime(o), zoneOffset(off));
    }

    private static void requireTime(PyObject o) {
        try (Python py = Python.attach()) {
            if (!o.isInstance(get(py, "datetime", "time"))) {
                throw expected("datetime.time", o);
            }
        }
    }

    private static LocalTime wallTime(PyObject o) {
        return LocalTime.of(attr(o, "hour"), attr(o, "minute"), attr(o, "second"), attr(o, "microsecond") * 1000);
    }

    private static LocalDateTime localDateTime(PyObject o) {
        LocalDateTime d64 = datetime64OrNull(o, "LocalDateTime");
        if (d64 != null) {
            return d64;
        }
        requireDateTime(o);
        if (!o.callMethod("utcoffset").isNone()) {
            throw new PyValueError("an aware datetime (with tzinfo) converts to OffsetDateTime, ZonedDateTime or "
                    + "Instant, not LocalDateTime");
        }
        return wall(o);
    }

    private static OffsetDateTime offsetDateTime(PyObject o) {
        LocalDateTime d64 = datetime64OrNull(o, "OffsetDateTime");
        if (d64 != null) {
            return d64.atOffset(ZoneOffset.UTC); // numpy's times: UTC, as pandas and Arrow read them
        }
        requireDateTime(o);
        return OffsetDateTime.of(wall(o), requireOffset(o));
    }

    private static Instant instant(PyObject o) {
        LocalDateTime d64 = datetime64OrNull(o, "Instant");
        if (d64 != null) {
            return d64.toInstant(ZoneOffset.UTC);
        }
        requireDateTime(o);
        return wall(o).toInstant(requireOffset(o));
    }

    private static ZonedDateTime zonedDateTime(PyObject o) {
        LocalDateTime d64 = datetime64OrNull(o, "ZonedDateTime");
        if (d64 != null) {
            return d64.atZone(ZoneOffset.UTC);
        }
        requireDateTime(o);
        ZoneOffset offset = requireOffset(o);
        Instant instant = wall(o).toInstant(offset);
        String key = zoneKey(o.getAttr("tzinfo"));
        ZoneId zone = offset;
        if (key != null) {
            try {
                zone = ZoneId.of(key);
            } catch (DateTimeException e) {
                zone = offset; // a zone Java's database does not know: keep the exact offset
            }
        }
        return ZonedDateTime.ofInstant(instant, zone);
    }

    /**
     * A numpy {@code datetime64}'s wall time, null for any other object; a missing value (NaT, NA)
     * is refused as {@code target}. An exact {@code datetime.datetime}, the common case, is none of
     * numpy's or pandas' types: one type comparison instead of reading type names.
     */
    private static LocalDateTime datetime64OrNull(PyObject o, String target) {
        if (exactly(o, "datetime")) {
            return null;
        }
        DataScalars.refuseMissing(o, target);
        return DataScalars.datetime64OrNull(o);
    }

    /** Whether {@code o}'s type is exactly {@code datetime.<name>} (not a subclass such as pandas' Timestamp). */
    private static boolean exactly(PyObject o, String name) {
        try (Python py = Python.attach()) {
            var handles = ApiAccess.handles();
            return CApi.borrowedType(handles.borrowedAddress(o)) == handles.borrowedAddress(get(py, "datetime", name));
        }
    }

    private static void requireDateTime(PyObject o) {
        try (Python py = Python.attach()) {
            if (!o.isInstance(get(py, "datetime", "datetime"))) {
                throw expected("datetime.datetime", o);
            }
        }
    }

    private static LocalDateTime wall(PyObject o) {
        return LocalDateTime.of(attr(o, "year"), attr(o, "month"), attr(o, "day"), attr(o, "hour"),
                attr(o, "minute"), attr(o, "second"), attr(o, "microsecond") * 1000 + (exactly(o, "datetime") ? 0 : DataScalars.extraNanos(o)));
    }

    private static ZoneOffset requireOffset(PyObject dt) {
        ZoneOffset offset = offset(dt);
        if (offset == null) {
            throw new PyValueError("a naive datetime (no tzinfo) has no instant; convert it to LocalDateTime, or give "
                    + "it a tzinfo in Python");
        }
        return offset;
    }

    /** {@code dt.utcoffset()} as a ZoneOffset, or null for a naive datetime. */
    private static ZoneOffset offset(PyObject dt) {
        PyObject off = dt.callMethod("utcoffset");
        return off.isNone() ? null : zoneOffset(off);
    }

    private static ZoneOffset zoneOffset(PyObject timedelta) {
        Duration d = duration(timedelta);
        if (d.getNano() != 0) {
            throw new PyValueError("a UTC offset of " + d + " has a fraction of a second; Java's ZoneOffset has whole "
                    + "seconds");
        }
        try {
            return ZoneOffset.ofTotalSeconds(Math.toIntExact(d.getSeconds()));
        } catch (DateTimeException | ArithmeticException e) {
            throw new PyValueError("a UTC offset of " + d + " is beyond Java's ZoneOffset range (+-18 hours)");
        }
    }

    /** The region name of a tzinfo: ZoneInfo's {@code key}, pytz's {@code zone}; null for a fixed offset. */
    private static String zoneKey(PyObject tz) {
        if (tz.isNone()) {
            return null;
        }
        for (String attr : new String[] {"key", "zone"}) {
            if (tz.hasAttr(attr)) {
                PyObject key = tz.getAttr(attr);
                if (key.is(dev.pyjama.PyStr.class)) {
                    return key.toJava(String.class);
                }
            }
        }
        return null;
    }

    private static Duration duration(PyObject o) {
        if (!exactly(o, "timedelta")) {
            DataScalars.refuseMissing(o, "Duration");
            Duration d64 = DataScalars.timedelta64OrNull(o);
            if (d64 != null) {
                return d64;
            }
        }
        try (Python py = Python.attach()) {
            if (!o.isInstance(get(py, "datetime", "timedelta"))) {
                throw expected("datetime.timedelta", o);
            }
        }
        return Duration.ofDays(o.getAttr("days").toJava(long.class))
                .plusSeconds(attr(o, "seconds"))
                .plusNanos(attr(o, "microseconds") * 1000L + (exactly(o, "timedelta") ? 0 : DataScalars.extraNanosOfDelta(o)));
    }

    private static int attr(PyObject o, String name) {
        return o.getAttr(name).toJava(int.class);
    }
}
