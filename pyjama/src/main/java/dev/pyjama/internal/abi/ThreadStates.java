package dev.pyjama.internal.abi;

import java.lang.foreign.MemorySegment;

/**
 * CPython thread states: taking and dropping the GIL with one, asking which one is attached on
 * this OS thread, and freeing those of ended threads.
 *
 * <p>Never {@code PyGILState_Check}: once any subinterpreter exists it answers 1 on every thread
 * (CPython clears {@code gilstate.check_enabled} when one is created). {@link #attachedHere} asks
 * for the current thread state instead, which does not lie.
 */
public final class ThreadStates {

    private ThreadStates() {}

    /** The attach and detach of every outermost scope, and the current-state check before it. */
    private static final class Fn {
        static final MemorySegment SAVE_THREAD = Symbol.PyEval_SaveThread.ordinary();
        static final MemorySegment RESTORE_THREAD = Symbol.PyEval_RestoreThread.ordinary();
        static final MemorySegment CURRENT = (Abi.minor() >= 13 ? Symbol.PyThreadState_GetUnchecked
                : Symbol._PyThreadState_UncheckedGet).criticalAddress();
        static final MemorySegment THIS_THREAD_STATE = Symbol.PyGILState_GetThisThreadState.ordinary();
    }

    /** {@code PyEval_SaveThread}: drops the GIL; returns the state that was attached. */
    public static long save() {
        return Native.call(Fn.SAVE_THREAD);
    }

    /** {@code PyEval_RestoreThread}: takes the GIL with {@code tstate} (may wait). */
    public static void restore(long tstate) {
        Native.call(Fn.RESTORE_THREAD, tstate);
    }

    /** {@code PyGILState_GetThisThreadState}: the state PyGILState bound to this OS thread, or 0. */
    public static long boundToThisThread() {
        return Native.call(Fn.THIS_THREAD_STATE);
    }

    /**
     * {@code PyGILState_Ensure}: attaches this thread's PyGILState state, made (and bound to the
     * thread) when it has none; returns what {@link #release} needs to undo it.
     */
    public static long ensure() {
        return Symbol.PyGILState_Ensure.call();
    }

    /** {@code PyGILState_Release}: undoes the {@link #ensure} that returned {@code state}. */
    public static void release(long state) {
        Symbol.PyGILState_Release.call(state);
    }

    /** {@code PyThreadState_Get}: the attached state of this thread (it must be attached). */
    public static long current() {
        return Symbol.PyThreadState_Get.call();
    }

    /** {@code PyThread_get_thread_ident}: this OS thread's ident as CPython knows it. */
    public static long threadIdent() {
        return Symbol.PyThread_get_thread_ident.call();
    }

    /**
     * The thread state through which C code further up this OS thread holds the GIL (Python that
     * called into Java, a native library's callback), or 0 when nothing on this thread does.
     * {@code own} is this thread's kept state, or 0 before it has one.
     *
     * <p>The current state ({@code PyThreadState_GetUnchecked}, exported from 3.13, or
     * {@code _PyThreadState_UncheckedGet} on 3.10 to 3.12): from 3.12 a C thread-local, so any
     * state there is attached on this thread; on 3.10 and 3.11 the GIL holder of the whole process,
     * which is this thread only when it is this thread's own state (its kept one, or the one
     * {@code PyGILState} knows for it). Neither answer changes under us: only this thread can make
     * one of its own states current, or stop it being current.
     */
    public static long attachedHere(long own) {
        long current = Native.critical(Fn.CURRENT);
        if (current == 0 || current == own) {
            return current;
        }
        if (Abi.minor() <= 11) {
            // Another thread's state holds the GIL, unless this one is the state PyGILState made or
            // adopted for this thread (a thread Python made, C code that called PyGILState_Ensure).
            return own == 0 && current == boundToThisThread() ? current : 0;
        }
        return current;
    }

    /**
     * Frees {@code dead}, the thread state of an ended thread whose OS thread identifier
     * ({@link #threadIdent}, the thread's TLS address) the calling thread now has, on the calling
     * thread, which has no thread state attached: attaches it, clears it and deletes it as the
     * current state ({@code PyEval_RestoreThread}, {@code PyThreadState_Clear},
     * {@code PyThreadState_DeleteCurrent}), which is what the ended thread would have done itself
     * on its way out. Nothing is attached afterwards.
     *
     * <p>Why only here, on a free-threaded build: there a state's biased-reference-counting entry,
     * its freelists and its mimalloc heaps belong to the OS thread identifier, which a new thread
     * reuses when it gets the dead one's stack; clearing the state from any other thread would
     * merge reference counts and abandon heap pages that a live thread with that identifier treats
     * as its own. The thread that has the identifier now is their owner: for it, clearing is the
     * ordinary thread-exit path. The {@code PyGILState} slot of this thread stays empty (the dead
     * state is bound to the dead thread's slot, which is gone), so the next
     * {@code PyGILState_Ensure} makes this thread's own state as usual.
     */
    public static void freeLeftOnThisThread(long dead) {
        restore(dead);
        Symbol.PyThreadState_Clear.call(dead);
        Symbol.PyThreadState_DeleteCurrent.call();
    }

    /** Whether {@code tstate} belongs to the main interpreter. */
    public static boolean ofMainInterpreter(long tstate) {
        return Symbol.PyThreadState_GetInterpreter.call(tstate) == Symbol.PyInterpreterState_Main.call();
    }

    /**
     * Frees the states of ended threads, {@code dead}, while this thread holds the GIL with its own
     * state {@code own} (taken by itself, not borrowed from C code further up). A {@code __del__}
     * run by a clear runs on a temporary state.
     *
     * <p>{@code PyThreadState_Clear} + {@code PyThreadState_Delete} on a detached state of another
     * (ended) thread is what CPython's own finalisation and fork handling do. One catch, from 3.12:
     * deleting a state that is its thread's {@code PyGILState} state clears the <em>calling</em>
     * thread's {@code PyGILState} slot (pystate.c, {@code unbind_gilstate_tstate}), after which
     * {@code PyGILState_Ensure} on this thread would make a second state. So the deletes run under
     * a temporary state {@code x} made for this thread ({@code PyThreadState_New}, not bound to
     * PyGILState since the slot holds ours): attaching {@code x} moves the slot to it, the deletes
     * may empty the slot, {@code x} is deleted as the current state (which also drops the GIL), and
     * {@code PyEval_RestoreThread} of our state binds the slot to it again, as it finds it unbound.
     * On 3.10 and 3.11 the delete empties the slot only if it holds the deleted state, and the same
     * sequence is merely unnecessary there.
     *
     * @return false when no temporary state could be made (out of memory): try again later
     */
    public static boolean freeEnded(long own, long[] dead, int count) {
        long x = Symbol.PyThreadState_New.call(Symbol.PyThreadState_GetInterpreter.call(own));
        if (x == 0) {
            return false;
        }
        Symbol.PyThreadState_Swap.call(x);
        for (int i = 0; i < count; i++) {
            if (dead[i] != own) {
                Symbol.PyThreadState_Clear.call(dead[i]);
                Symbol.PyThreadState_Delete.call(dead[i]);
            }
        }
        Symbol.PyThreadState_Clear.call(x);
        Symbol.PyThreadState_DeleteCurrent.call();
        restore(own);
        return true;
    }
}
