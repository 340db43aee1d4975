package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
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
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** java.time and Python's datetime, both ways. */
class TimeConversionTest {

    private static boolean py(Python py, String lambda, Object... args) {
        return py.eval(lambda).call(args).isTruthy();
    }

    @Provide
    Arbitrary<LocalDateTime> dateTimes() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(
                LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC));
        Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
        return Combinators.combine(seconds, nanos).as((s, n) -> LocalDateTime.ofEpochSecond(s, n, ZoneOffset.UTC));
    }

    @Property(tries = 300)
    void localDatesTimesAndDateTimesRoundTripToTheMicrosecond(@ForAll("dateTimes") LocalDateTime t) {
        Python.attach(py -> {
            LocalDateTime micros = t.truncatedTo(ChronoUnit.MICROS);
            PyObject o = py.toPython(t);
            assertEquals(micros, o.toJava(LocalDateTime.class));
            assertEquals(micros, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, s: v.tzinfo is None and v == __import__('datetime').datetime.fromisoformat(s)",
                    o, micros.toString()));
            assertEquals(t.toLocalDate(), py.toPython(t.toLocalDate()).toJava(LocalDate.class));
            assertEquals(t.toLocalDate(), py.toPython(t.toLocalDate()).toJava(Object.class));
            assertTrue(py(py, "lambda v, s: type(v).__name__ == 'date' and v.isoformat() == s", t.toLocalDate(),
                    String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth())));
            assertEquals(micros.toLocalTime(), py.toPython(t.toLocalTime()).toJava(LocalTime.class));
            assertEquals(micros.toLocalTime(), py.toPython(t.toLocalTime()).toJava(Object.class));
            return null;
        });
    }

    @Property(tries = 300)
    void instantsAndOffsetDateTimesRoundTrip(@ForAll("dateTimes") LocalDateTime t,
            @ForAll("offsets") ZoneOffset offset) {
        Python.attach(py -> {
            Instant instant = t.toInstant(ZoneOffset.UTC);
            Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
            PyObject o = py.toPython(instant);
            assertEquals(micros, o.toJava(Instant.class));
            assertTrue(py(py, "lambda v, us: v.utcoffset().total_seconds() == 0 and "
                    + "(v - __import__('datetime').datetime(1970, 1, 1, tzinfo=__import__('datetime').timezone.utc))"
                    + " // __import__('datetime').timedelta(microseconds=1) == us", o,
                    ChronoUnit.MICROS.between(Instant.EPOCH, micros)));
            if (t.getYear() > 1 && t.getYear() < 9999) {
                OffsetDateTime odt = OffsetDateTime.of(t, offset);
                PyObject p = py.toPython(odt);
                assertEquals(odt.truncatedTo(ChronoUnit.MICROS), p.toJava(OffsetDateTime.class));
                assertEquals(odt.truncatedTo(ChronoUnit.MICROS), p.toJava(Object.class));
                assertEquals(odt.toInstant().truncatedTo(ChronoUnit.MICROS), p.toJava(Instant.class));
                assertTrue(py(py, "lambda v, s: v.utcoffset().total_seconds() == s", p, offset.getTotalSeconds()));
            }
            return null;
        });
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-18 * 3600, 18 * 3600).map(ZoneOffset::ofTotalSeconds);
    }

    @Property(tries = 300)
    void durationsRoundTripToTheMicrosecond(@ForAll long seconds, @ForAll("nanos") int nanos) {
        Duration d = Duration.ofSeconds(seconds % (999_999_999L * 86_400), nanos);
        Python.attach(py -> {
            Duration micros = d.truncatedTo(ChronoUnit.MICROS);
            if (d.isNegative() && d.getNano() % 1000 != 0) {
                micros = micros.minusNanos(1000); // floored, towards the past
            }
            PyObject o = py.toPython(d);
            assertEquals(micros, o.toJava(Duration.class));
            assertEquals(micros, o.toJava(Object.class));
            assertTrue(py(py, "lambda v, s, us: v == __import__('datetime').timedelta(seconds=s, microseconds=us)", o,
                    micros.getSeconds(), micros.getNano() / 1000));
            return null;
        });
    }

    @Provide
    Arbitrary<Integer> nanos() {
        return Arbitraries.integers().between(0, 999_999_999);
    }

    @Test
    void regionZonesBecomeZoneInfoAndComeBack() {
        Python.attach(py -> {
            ZoneId paris = ZoneId.of("Europe/Paris");
            ZonedDateTime summer = ZonedDateTime.of(2024, 7, 1, 12, 30, 0, 123_456_000, paris);
            PyObject o = py.toPython(summer);
            assertTrue(py(py, "lambda v: str(v.tzinfo) == 'Europe/Paris' and v.utcoffset().total_seconds() == 7200"
                    + " and v.isoformat() == '2024-07-01T12:30:00.123456+02:00'", o));
            assertEquals(summer, o.toJava(ZonedDateTime.class));
            assertEquals(summer, o.toJava(Object.class));
            // The repeated hour when clocks go back: fold=1 is the second, later-offset one.
            ZonedDateTime first = ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, paris).withEarlierOffsetAtOverlap();
            ZonedDateTime second = first.withLaterOffsetAtOverlap();
            assertTrue(py(py, "lambda a, b: a.fold == 0 and b.fold == 1 and a.utcoffset() != b.utcoffset()",
                    first, second));
            assertEquals(first, py.toPython(first).toJava(ZonedDateTime.class));
            assertEquals(second, py.toPython(second).toJava(ZonedDateTime.class));
            assertEquals(second.toInstant(), py.toPython(second).toJava(Instant.class));
            PyObject fixed = py.toPython(ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5)));
            assertTrue(py(py, "lambda v: type(v.tzinfo).__name__ == 'timezone'", fixed));
            assertInstanceOf(OffsetDateTime.class, fixed.toJava(Object.class));
            OffsetTime ot = OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(3));
            assertEquals(ot, py.toPython(ot).toJava(OffsetTime.class));
            assertEquals(ot, py.toPython(ot).toJava(Object.class));
            return null;
        });
    }

    @Test
    void mismatchesAreClearErrors() {
        Python.attach(py -> {
            PyObject naive = py.eval("__import__('datetime').datetime(2024, 1, 1)");
            assertThrows(PyValueError.class, () -> naive.toJava(Instant.class));
            assertThrows(PyValueError.class, () -> naive.toJava(ZonedDateTime.class));
            PyObject aware = py.eval("__import__('datetime').datetime(2024, 1, 1, tzinfo=__import__('datetime').timezone.utc)");
            assertThrows(PyValueError.class, () -> aware.toJava(LocalDateTime.class));
            assertThrows(PyTypeError.class, () -> aware.toJava(LocalDate.class));
            assertThrows(PyTypeError.class, () -> py.eval("'2024-01-01'").toJava(LocalDate.class));
            assertThrows(PyValueError.class, () -> py.toPython(LocalDate.of(10000, 1, 1)));
            assertThrows(PyValueError.class, () -> py.toPython(Instant.MAX));
            return null;
        });
    }
}
