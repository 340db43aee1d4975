package dev.pyjama.internal.abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;

/**
 * Python's critical sections ({@code Py_BEGIN_CRITICAL_SECTION}) for the container operations that
 * need one on a free-threaded build: iterating a dict with {@code PyDict_Next} or reading items
 * through borrowed references. On a GIL build the GIL already serialises them and this costs a
 * branch.
 */
public final class CriticalSections {

    private CriticalSections() {}

    /** Runs {@code body} inside a critical section on {@code op} when the build is free-threaded. */
    public static long run(long op, LongSupplier body) {
        if (!Abi.freeThreaded()) {
            return body.getAsLong();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment section = arena.allocate(16, 8) /* PyCriticalSection: two pointers */;
            Symbol.PyCriticalSection_Begin.call(section.address(), op);
            try {
                return body.getAsLong();
            } finally {
                Symbol.PyCriticalSection_End.call(section.address());
            }
        }
    }
}
