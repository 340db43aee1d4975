package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * Keeps C-level recursion inside the Java thread's stack on CPython 3.13.
 *
 * <p>CPython 3.13 allows 10,000 levels of C recursion ({@code Py_C_RECURSION_LIMIT}, sized for the
 * 8 MiB main-thread stack of the command-line python). A Java thread's stack is usually 1 MiB, or
 * smaller when its creator asks: a deep {@code repr} or {@code json.dumps} then overflows it, and
 * the JVM dies (seen here with 3.13.0). CPython 3.10 and 3.11 count C recursion against the
 * ordinary recursion limit (1,000), 3.12 against 1,500 or less, and 3.14 against the real stack
 * bounds, so only 3.13 needs help.
 *
 * <p>On 3.13, when a Java thread gets its thread state, its remaining C-recursion budget
 * ({@code tstate->c_recursion_remaining}) is lowered to what its stack holds at a conservative
 * {@value #BYTES_PER_LEVEL} bytes per level (measured: about 200 for a nested {@code repr}). The
 * field's offset is checked before writing: the two fields before it must hold the recursion limit
 * and the C limit's default, otherwise nothing is written.
 */
final class StackGuard {

    static final long BYTES_PER_LEVEL = 512;
    private static final int DEFAULT_C_LIMIT = 10_000;

    /** Offsets in 3.13's {@code struct _ts} (after prev, next, interp, eval_breaker, _status, _whence, state). */
    private static final long PY_RECURSION_LIMIT_OFFSET = 48;
    private static final long C_RECURSION_REMAINING_OFFSET = 52;

    private StackGuard() {}

    /** Fits the calling thread's C-recursion budget to its stack; {@code tstate} is its fresh thread state. */
    static void fitToStack(long tstate, int minor) {
        if (minor != 13) {
            return;
        }
        long stack = DirectCalls.currentThreadStackSize();
        if (stack <= 0) {
            return;
        }
        // The JVM's own frames and CPython's frames above the recursion both need room.
        long usable = stack - Math.min(256 * 1024, stack / 2);
        int budget = (int) Math.max(50, Math.min(DEFAULT_C_LIMIT, usable / BYTES_PER_LEVEL));
        MemorySegment ts = MemorySegment.ofAddress(tstate).reinterpret(C_RECURSION_REMAINING_OFFSET + 4);
        int pyLimit = ts.get(JAVA_INT, PY_RECURSION_LIMIT_OFFSET);
        int cRemaining = ts.get(JAVA_INT, C_RECURSION_REMAINING_OFFSET);
        if (pyLimit != (int) dev.pyjama.ffi.LibPython.Py_GetRecursionLimit() || cRemaining != DEFAULT_C_LIMIT) {
            return; // not the layout we know: leave it alone
        }
        if (budget < cRemaining) {
            ts.set(JAVA_INT, C_RECURSION_REMAINING_OFFSET, budget);
        }
    }
}
