package dev.pyjama.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyCapsules;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyValueError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The capsule escape hatch: pointers in and out, the destructor once, wrong names refused. */
class PyCapsulesTest {

    @Test
    void aCapsuleCarriesItsPointerAndItsDestructorRunsOnceWhenPythonFreesIt() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment struct = arena.allocate(ValueLayout.JAVA_LONG);
            struct.set(ValueLayout.JAVA_LONG, 0, 42);
            AtomicInteger runs = new AtomicInteger();
            AtomicLong seen = new AtomicLong();
            Python.attach(py -> {
                PyObject holder = py.eval("[]");
                try (Python inner = Python.attach()) {
                    PyObject c = PyCapsules.create(inner, "pyjama.test", struct, p -> {
                        runs.incrementAndGet();
                        seen.set(p.address());
                    });
                    assertTrue(PyCapsules.isCapsule(c, "pyjama.test"));
                    assertFalse(PyCapsules.isCapsule(c, "other"));
                    assertEquals(42, PyCapsules.pointer(c, "pyjama.test").reinterpret(8).get(ValueLayout.JAVA_LONG, 0));
                    holder.callMethod("append", c);
                }
                assertEquals(0, runs.get(), "Python still holds the capsule");
                holder.callMethod("clear");
                return null;
            });
            assertEquals(1, runs.get());
            assertEquals(struct.address(), seen.get());
        }
    }

    @Test
    void theWrongNameOrAnObjectThatIsNoCapsuleIsAValueError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment struct = arena.allocate(8);
            Python.attach(py -> {
                PyObject c = PyCapsules.create(py, "pyjama.test", struct, null);
                assertThrows(PyValueError.class, () -> PyCapsules.pointer(c, "arrow_array_stream"));
                assertThrows(PyValueError.class, () -> PyCapsules.pointer(py.eval("1"), "pyjama.test"));
                assertThrows(IllegalArgumentException.class, () -> PyCapsules.create(py, "x", MemorySegment.NULL, null));
                return null;
            });
        }
    }

    @Test
    void aDestructorThatThrowsDoesNotReachPython() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment struct = arena.allocate(8);
            Thread.UncaughtExceptionHandler before = Thread.currentThread().getUncaughtExceptionHandler();
            AtomicInteger reported = new AtomicInteger();
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.incrementAndGet());
            try {
                Python.attach(py -> {
                    PyCapsules.create(py, "pyjama.test", struct, p -> {
                        throw new IllegalStateException("boom");
                    });
                    return null;
                });
                assertEquals(1, reported.get());
                assertEquals("2", Python.attach(py -> py.eval("1 + 1").repr()));
            } finally {
                Thread.currentThread().setUncaughtExceptionHandler(before);
            }
        }
    }
}
