package dev.pyjama.internal.abi;

import java.lang.foreign.MemorySegment;

/**
 * Whether C code further up the calling thread holds the GIL (is attached), asked without
 * {@code PyGILState_Check}: once any subinterpreter exists, that function answers "yes" on every
 * thread (CPython clears {@code gilstate.check_enabled} when one is created).
 *
 * <p>Instead, the current thread state: {@code PyThreadState_GetUnchecked} (3.13+, exported as
 * {@code _PyThreadState_UncheckedGet} on 3.10 to 3.12, which is exported too). From 3.12 it is a C
 * thread-local, so a non-NULL answer means this OS thread is attached. On 3.10 and 3.11 it is the
 * process-wide holder of the GIL, so this thread holds it exactly when that holder is this
 * thread's own state: the one pyjama keeps for it, or the one {@code PyGILState} bound to it.
 */
public final class GilState {

    private GilState() {}

    private static final class Fn {
        static final MemorySegment CURRENT = (Abi.minor() >= 13 ? Symbol.PyThreadState_GetUnchecked
                : Symbol._PyThreadState_UncheckedGet).criticalAddress();
        static final MemorySegment THIS_THREAD_STATE = Symbol.PyGILState_GetThisThreadState.ordinary();
    }

    /**
     * Whether the calling OS thread is attached to CPython right now; {@code keptState} is the state
     * pyjama keeps for it (0 when none).
     */
    public static boolean isCurrent(long keptState) {
        long current = Native.critical(Fn.CURRENT);
        if (current == 0) {
            return false;
        }
        if (Abi.minor() >= 12) {
            return true; // a thread-local: this thread's own
        }
        return current == keptState || current == Native.call(Fn.THIS_THREAD_STATE);
    }
}
