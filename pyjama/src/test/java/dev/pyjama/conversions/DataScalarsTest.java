package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyTypeError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * numpy's datetime64 / timedelta64 and pandas' Timestamp / Timedelta (nanoseconds), NaT and NA,
 * as users meet them in data. Needs numpy (and pandas for its part): skipped, saying so, where the
 * interpreter has neither.
 */
class DataScalarsTest {

    private static boolean has(Python py, String module) {
        return py.eval("__import__('importlib.util').util.find_spec('" + module + "') is not None").toJava(boolean.class);
    }

    private static void require(Python py, String module) {
        Assumptions.assumeTrue(has(py, module), module + " is not installed in this interpreter");
    }

    @Test
    void numpyTimesInEveryUnit() {
        try (Python py = Python.attach()) {
            require(py, "numpy");
            py.run("import numpy as np");
            assertEquals(LocalDateTime.of(2024, 2, 29, 12, 30, 1, 123_456_789),
                    py.eval("np.datetime64('2024-02-29T12:30:01.123456789', 'ns')").toJava(LocalDateTime.class));
            assertEquals(Instant.parse("2024-02-29T12:30:01.123456Z"),
                    py.eval("np.datetime64('2024-02-29T12:30:01.123456', 'us')").toJava(Instant.class), "numpy's times read as UTC");
            assertEquals(LocalDateTime.of(2024, 2, 1, 0, 0), py.eval("np.datetime64('2024-02', 'M')").toJava(LocalDateTime.class));
            assertEquals(LocalDateTime.of(1969, 12, 31, 0, 0), py.eval("np.datetime64('1969-12-31', 'D')").toJava(Object.class));
            assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0, 10), py.eval("np.datetime64(5, '2s')").toJava(Object.class), "a multiple of a unit");
            assertEquals(OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                    py.eval("np.datetime64('2000-01-01T00:00:00', 's')").toJava(OffsetDateTime.class));
            assertEquals(Duration.ofNanos(1_500), py.eval("np.timedelta64(1500, 'ns')").toJava(Duration.class));
            assertEquals(Duration.ofDays(14), py.eval("np.timedelta64(2, 'W')").toJava(Object.class));
            assertThrows(PyTypeError.class, () -> py.eval("np.timedelta64(1, 'M')").toJava(Duration.class), "a month has no fixed length");
        }
    }

    @Property(tries = 100)
    void nanosecondsSurviveFromNumpy(@ForAll @LongRange(min = -4_000_000_000_000_000_000L, max = 4_000_000_000_000_000_000L) long ns) {
        try (Python py = Python.attach()) {
            if (!has(py, "numpy")) {
                return; // jqwik counts an assumption as a rejection; the tests above report the skip
            }
            PyObject t = py.importModule("numpy").callMethod("datetime64", ns, "ns");
            Instant expected = Instant.EPOCH.plusNanos(ns);
            assertEquals(expected, t.toJava(Instant.class));
            assertEquals(Duration.ofNanos(ns), py.importModule("numpy").callMethod("timedelta64", ns, "ns").toJava(Duration.class));
        }
    }

    @Test
    void missingValuesAreNoneNotANull() {
        try (Python py = Python.attach()) {
            require(py, "numpy");
            py.run("import numpy as np");
            assertNull(py.eval("np.datetime64('NaT')").toJava(Object.class));
            assertNull(py.eval("np.timedelta64('NaT')").toJava(Object.class));
            assertEquals(Optional.empty(), py.eval("np.datetime64('NaT', 'ns')").toJava(new TypeRef<Optional<Instant>>() {}));
            PyTypeError e = assertThrows(PyTypeError.class, () -> py.eval("np.datetime64('NaT')").toJava(Instant.class));
            assertTrue(e.getMessage().contains("missing value"), e.getMessage());
            assertThrows(PyTypeError.class, () -> py.eval("np.timedelta64('NaT')").toJava(Duration.class));
        }
    }

    @Test
    void pandasTimestampsNanosecondsNaTAndNA() {
        try (Python py = Python.attach()) {
            require(py, "pandas");
            py.run("import pandas as pd");
            assertEquals(LocalDateTime.of(2024, 2, 29, 12, 30, 1, 123_456_789),
                    py.eval("pd.Timestamp('2024-02-29 12:30:01.123456789')").toJava(LocalDateTime.class));
            assertEquals(Instant.parse("2024-02-29T11:30:01.123456789Z"),
                    py.eval("pd.Timestamp('2024-02-29 12:30:01.123456789', tz='Europe/Paris')").toJava(Instant.class));
            assertEquals(Instant.parse("2024-02-29T11:30:01.123456789Z"),
                    ((java.time.ZonedDateTime) py.eval("pd.Timestamp('2024-02-29 12:30:01.123456789', tz='Europe/Paris')")
                            .toJava(Object.class)).toInstant(), "an aware Timestamp is a ZonedDateTime, to the nanosecond");
            assertEquals(Duration.ofNanos(1_000_000_007L), py.eval("pd.Timedelta(1_000_000_007, 'ns')").toJava(Duration.class));
            assertNull(py.eval("pd.NaT").toJava(Object.class));
            assertNull(py.eval("pd.NA").toJava(Object.class));
            assertEquals(Optional.empty(), py.eval("pd.NaT").toJava(new TypeRef<Optional<LocalDateTime>>() {}));
            assertEquals(Optional.empty(), py.eval("pd.NA").toJava(new TypeRef<Optional<Long>>() {}));
            assertThrows(PyTypeError.class, () -> py.eval("pd.NaT").toJava(Instant.class));
            assertThrows(PyTypeError.class, () -> py.eval("pd.NA").toJava(Long.class));
            // as they come out of a column
            List<Object> column = py.eval("pd.Series([pd.Timestamp('2024-01-01 00:00:00.000000001'), pd.NaT]).tolist()")
                    .toJava(new TypeRef<List<Object>>() {});
            assertEquals(Arrays.asList(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1), null), column);
            Map<String, Object> row = py.eval("pd.DataFrame({'n': pd.array([1, None], dtype='Int64')}).iloc[1].to_dict()")
                    .toJava(new TypeRef<Map<String, Object>>() {});
            assertTrue(row.containsKey("n") && row.get("n") == null, row.toString());
        }
    }
}
