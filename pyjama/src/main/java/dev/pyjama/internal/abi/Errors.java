package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The thread's Python error indicator and the parts of an exception object the C API exposes, with
 * ownership in the names ({@code new...} results are new references, {@code stolen} arguments are
 * taken over). The caller holds the GIL.
 */
public final class Errors {

    private Errors() {}

    /** {@code PyErr_Clear}. */
    public static void clear() {
        Symbol.PyErr_Clear.call();
    }

    /** Whether the pending error is an instance of {@code type} ({@code PyErr_ExceptionMatches}). */
    public static boolean pendingMatches(long type) {
        return Symbol.PyErr_ExceptionMatches.call(type) != 0;
    }

    /**
     * Takes the pending exception: a new reference to the exception object (normalised, its
     * traceback attached), or 0 when none is pending. The indicator is cleared.
     */
    public static long newTakenOrZero() {
        if (Abi.minor() >= 12) {
            return Symbol.PyErr_GetRaisedException.call();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(ADDRESS, 3);
            long type = slots.address();
            long value = type + 8;
            long tb = type + 16;
            Symbol.PyErr_Fetch.call(type, value, tb);
            if (slots.get(ADDRESS, 0).address() == 0) {
                return 0;
            }
            Symbol.PyErr_NormalizeException.call(type, value, tb);
            long t = slots.get(ADDRESS, 0).address();
            long v = slots.get(ADDRESS, 8).address();
            long traceback = slots.get(ADDRESS, 16).address();
            if (v != 0 && traceback != 0) {
                Symbol.PyException_SetTraceback.call(v, traceback);
            }
            if (traceback != 0) {
                CApi.decRef(traceback);
            }
            if (v == 0) {
                return t; // cannot happen after normalisation; keep the type rather than nothing
            }
            CApi.decRef(t);
            return v;
        }
    }

    /** Sets {@code stolen} (an exception instance) as the pending error; the reference is taken over. */
    public static void raiseStolen(long stolen) {
        if (Abi.minor() >= 12) {
            Symbol.PyErr_SetRaisedException.call(stolen); // OWNERSHIP: steals the exception
            return;
        }
        long type = CApi.newRef(CApi.borrowedType(stolen));
        long tb = Symbol.PyException_GetTraceback.call(stolen); // a new reference or 0
        Symbol.PyErr_Restore.call(type, stolen, tb); // OWNERSHIP: steals all three
    }

    /** {@code PyErr_SetString(type, message)} with a NUL-terminated message that lives as long as needed. */
    public static void setString(long type, MemorySegment message) {
        Symbol.PyErr_SetString.call(type, message.address());
    }

    /**
     * A new Python {@code BufferError} with {@code message}, as the Java exception the translation
     * makes of it ({@code PyBufferError}); nothing is left pending.
     */
    public static RuntimeException bufferError(String message) {
        return raised(Symbol.PyExc_BufferError.object(), message);
    }

    /** A new Python {@code MemoryError} with {@code message}, as a Java exception ({@code PyMemoryError}). */
    public static RuntimeException memoryError(String message) {
        return raised(Symbol.PyExc_MemoryError.object(), message);
    }

    private static RuntimeException raised(long type, String message) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Symbol.PyErr_SetString.call(type, arena.allocateFrom(message).address());
        }
        return PendingError.fetch();
    }

    /** {@code RuntimeError}'s type object (borrowed, immortal for the interpreter's life). */
    public static long runtimeErrorType() {
        return Symbol.PyExc_RuntimeError.object();
    }

    /** {@code RecursionError}'s type object. */
    public static long recursionErrorType() {
        return Symbol.PyExc_RecursionError.object();
    }

    /** {@code KeyboardInterrupt}'s type object. */
    public static long keyboardInterruptType() {
        return Symbol.PyExc_KeyboardInterrupt.object();
    }

    /** {@code BaseException}'s type object. */
    public static long baseExceptionType() {
        return Symbol.PyExc_BaseException.object();
    }

    /** {@code exc.__cause__}: a new reference, or 0. */
    public static long newCauseOrZero(long exception) {
        return Symbol.PyException_GetCause.call(exception);
    }

    /** {@code exc.__context__}: a new reference, or 0. */
    public static long newContextOrZero(long exception) {
        return Symbol.PyException_GetContext.call(exception);
    }

    /** {@code exc.__traceback__}: a new reference, or 0. */
    public static long newTracebackOrZero(long exception) {
        return Symbol.PyException_GetTraceback.call(exception);
    }

    /**
     * {@code PyThreadState_SetAsyncExc}: raises {@code type} in the thread whose CPython ident is
     * {@code threadId} at its next bytecode boundary, or with 0 cancels a pending one.
     */
    public static void raiseInThread(long threadId, long type) {
        Symbol.PyThreadState_SetAsyncExc.call(threadId, type);
    }
}
