package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyTypeError;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversions release every reference they take, on success and on failure. */
class ConversionRefcountTest {

    private static long refcount(Python py, PyObject o) {
        return py.scope(inner -> inner.importModule("sys").callMethod("getrefcount", o).toJava(long.class));
    }

    @Test
    void noReferenceIsLeakedByConversionsOrTheirErrors() {
        Python.attach(py -> {
            py.run("probe = 'leak-probe-' + str(id(object()))\n"
                    + "import datetime, decimal\n"
                    + "day = datetime.date(2024, 2, 29)\n"
                    + "good = [probe, {probe: [probe, (probe,)]}, {probe}, day, decimal.Decimal('1.5')]\n"
                    + "bad = [{'k': [probe, probe, 3]}]\n");
            PyObject probe = py.eval("probe");
            PyObject day = py.eval("day");
            PyObject good = py.eval("good");
            PyObject bad = py.eval("bad");
            long before = refcount(py, probe);
            long dayBefore = refcount(py, day);
            for (int i = 0; i < 2000; i++) {
                py.scope(inner -> {
                    good.toJava(Object.class);
                    bad.toJava(new TypeRef<List<Map<String, List<Object>>>>() {});
                    assertThrows(PyTypeError.class, () -> bad.toJava(new TypeRef<List<Map<String, List<String>>>>() {}));
                    day.toJava(LocalDate.class);
                    inner.toPython(List.of(probe, Map.of(probe, probe), LocalDate.of(2024, 1, 1)));
                    return null;
                });
            }
            assertEquals(before, refcount(py, probe));
            assertEquals(dayBefore, refcount(py, day));
            return null;
        });
    }
}
