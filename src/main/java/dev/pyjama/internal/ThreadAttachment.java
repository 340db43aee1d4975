package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * One Java thread's link to CPython: its kept thread state, its innermost open scope, and whether
 * it is inside a detached block.
 *
 * <p>A platform thread gets its CPython thread state on its first attach
 * ({@code PyGILState_Ensure}, which binds it to this OS thread) and keeps it: later outermost
 * attaches are {@code PyEval_RestoreThread} / {@code PyEval_SaveThread}, the cheapest way to take
 * and drop the GIL. A thread whose GIL is already held by C code further up its stack (Python
 * called into Java) attaches without taking it, and does not drop it when its scope ends; a Java
 * function Python called knows this without asking ({@link Scope#openInCallback}).
 */
final class ThreadAttachment {

    // A subclass rather than ThreadLocal.withInitial: no lambda class to spin at start-up.
    private static final ThreadLocal<ThreadAttachment> CURRENT = new ThreadLocal<>() {
        @Override
        protected ThreadAttachment initialValue() {
            return new ThreadAttachment();
        }
    };

    /** The thread-state functions in word form (see {@link WordCalls}), found once libpython is loaded. */
    private static final class Fn {
        static final MemorySegment SAVE_THREAD = WordCalls.python("PyEval_SaveThread");
        static final MemorySegment RESTORE_THREAD = WordCalls.python("PyEval_RestoreThread");
        static final MemorySegment THREAD_IDENT = WordCalls.python("PyThread_get_thread_ident");
        static final MemorySegment THIS_THREAD_STATE = WordCalls.python("PyGILState_GetThisThreadState");
        static final MemorySegment GIL_STATE_ENSURE = WordCalls.python("PyGILState_Ensure");
        static final MemorySegment THREAD_STATE_GET = WordCalls.python("PyThreadState_Get");
    }

    final Thread thread = Thread.currentThread();
    /** This thread's native scratch memory (argument arrays, string bytes), owned here for the thread's life. */
    final Scratch scratch = new Scratch();
    /** This thread's CPython thread state, 0 before its first attach. */
    private long tstate;
    /** The innermost open scope, null when the thread is not attached. */
    Scope innermost;
    /** True when the GIL was already held when the outermost scope opened. */
    boolean borrowed;
    /** How many {@code detach} blocks are running on this thread; scopes opened outside them are unusable meanwhile. */
    int detachDepth;
    /** This OS thread's ident as CPython knows it (PyThread_get_thread_ident), for PyThreadState_SetAsyncExc. */
    volatile long pythonThreadId;
    /** True while the thread holds the GIL through an open scope (read by the interrupt watchdog). */
    volatile boolean inPython;
    /** Set when the watchdog raised KeyboardInterrupt in this thread for a Java interrupt. */
    volatile boolean interruptRaised;

    /** How many Java functions called from Python are running on this thread, one inside the other. */
    int callbackDepth;
    /** The most that fit this thread's stack, measured on first use (-1 before). */
    int callbackDepthLimit = -1;

    /**
     * The smallest stack a thread needs to run CPython itself (a bit under the JVM's default 1 MiB):
     * below it, deep parsing or recursion could overflow the native stack and end the JVM.
     */
    static final long MIN_STACK = 1000L * 1024;

    /** The OS thread's stack size in bytes, -1 when unknown, 0 before it was measured. */
    private long stackSize;

    private ThreadAttachment() {}

    long stackSize() {
        if (stackSize == 0) {
            stackSize = thread.isVirtual() ? -1 : DirectCalls.currentThreadStackSize();
        }
        return stackSize;
    }

    /** Whether this thread's stack is known to be too small to run CPython safely. */
    boolean stackTooSmall() {
        long size = stackSize();
        return size > 0 && size < MIN_STACK;
    }

    static ThreadAttachment current() {
        return CURRENT.get();
    }

    /**
     * The thread that started the interpreter releases the GIL and keeps the thread state
     * Py_InitializeEx made.
     */
    void adoptThreadState(int minor) {
        long runtime = minor <= 11 ? WordCalls.python("_PyRuntime").address() : 0;
        long[] attached = runtime != 0 ? runtimeWords(runtime) : null;
        tstate = WordCalls.call(Fn.SAVE_THREAD);
        if (attached != null) {
            currentStateWord = findCurrentStateWord(runtime, attached, tstate);
        }
        pythonThreadId = WordCalls.call(Fn.THREAD_IDENT);
        Interrupts.watch(this);
    }

    /**
     * The address of {@code _PyRuntime.gilstate.tstate_current}, the process-wide current thread
     * state of CPython 3.10 and 3.11 (0 when not found, and on 3.12+, which keep it in a C
     * thread-local): reading it tells a kept-state attach whether C code further up its thread holds
     * the GIL without a downcall. Written once by the starting thread just after it first drops
     * the GIL, so another thread may attach before it is set: it then reads 0 and makes the
     * downcall (volatile, so that it reads one or the other).
     */
    private static volatile long currentStateWord;

    /** How much of {@code _PyRuntime} to search: the field is near 570 bytes in, the struct larger still. */
    private static final int RUNTIME_WORDS = 80;

    private static long[] runtimeWords(long runtime) {
        long[] words = new long[RUNTIME_WORDS];
        for (int i = 0; i < words.length; i++) {
            words[i] = CApi.ALL.get(JAVA_LONG_UNALIGNED, runtime + 8L * i);
        }
        return words;
    }

    /**
     * The one word of {@code _PyRuntime} that held {@code state} while it was attached and holds
     * something else now that it is not; 0 unless exactly one does (the GIL's last holder, for one,
     * still names it), so that a layout this search does not know falls back to the downcall.
     */
    private static long findCurrentStateWord(long runtime, long[] attached, long state) {
        long[] detached = runtimeWords(runtime);
        long found = 0;
        for (int i = 0; i < attached.length; i++) {
            if (attached[i] == state && detached[i] != state) {
                if (found != 0) {
                    return 0;
                }
                found = runtime + 8L * i;
            }
        }
        return found;
    }

    /** Whether this OS thread holds the GIL with its kept thread state (C code further up took it). */
    private boolean keptStateIsCurrent() {
        long word = currentStateWord;
        return word != 0 ? CApi.ALL.get(JAVA_LONG_UNALIGNED, word) == tstate : DirectCalls.gilStateCheck();
    }

    /** Whether this thread has attached before and kept its CPython thread state. */
    boolean keepsThreadState() {
        return tstate != 0;
    }

    /** Takes the GIL for an outermost scope. */
    void acquire() {
        // Python may be calling us (a Java function called from a Python thread, or C code that
        // took the GIL itself): then the GIL is already ours and must not be taken twice.
        if (tstate != 0) {
            // This thread's state is bound to it (PyGILState), so C code further up that took the
            // GIL here did so with this state: it holds the GIL exactly when the state is current.
            if (keptStateIsCurrent()) {
                borrowed = true;
                return;
            }
            WordCalls.call(Fn.RESTORE_THREAD, tstate);
            inPython = true;
            return;
        }
        if (DirectCalls.gilStateCheck()) {
            borrowed = true;
            return;
        }
        long existing = WordCalls.call(Fn.THIS_THREAD_STATE);
        if (existing != 0) {
            // A thread Python made (or C code attached) that is not attached right now: use its
            // thread state as it is; its owner deletes it.
            WordCalls.call(Fn.RESTORE_THREAD, existing);
            tstate = existing;
        } else {
            WordCalls.call(Fn.GIL_STATE_ENSURE);
            tstate = WordCalls.call(Fn.THREAD_STATE_GET);
            StackGuard.fitToStack(tstate, Interpreter.minor());
        }
        pythonThreadId = WordCalls.call(Fn.THREAD_IDENT);
        Interrupts.watch(this);
        inPython = true;
    }

    /** Drops the GIL when the outermost scope closes. */
    void release() {
        if (borrowed) {
            borrowed = false;
            return;
        }
        inPython = false;
        if (interruptRaised) {
            Interrupts.cancelPending(this);
        }
        WordCalls.call(Fn.SAVE_THREAD);
    }

    /**
     * Drops the GIL for a detached block; returns the thread state to give to {@link #resume}
     * (the one that was attached, which on a thread Python made is Python's, not ours).
     */
    long suspend() {
        inPython = false;
        if (interruptRaised) {
            Interrupts.cancelPending(this);
        }
        return WordCalls.call(Fn.SAVE_THREAD);
    }

    /** Takes the GIL back after a detached block with the thread state {@link #suspend} returned. */
    void resume(long saved) {
        WordCalls.call(Fn.RESTORE_THREAD, saved);
        inPython = true;
    }
}
