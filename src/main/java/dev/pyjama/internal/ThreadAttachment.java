package dev.pyjama.internal;

import dev.pyjama.ffi.LibPython;

/**
 * One Java thread's link to CPython: its kept thread state, its innermost open scope, and whether
 * it is inside a detached block.
 *
 * <p>A platform thread gets its CPython thread state on its first attach
 * ({@code PyGILState_Ensure}, which binds it to this OS thread) and keeps it: later outermost
 * attaches are {@code PyEval_RestoreThread} / {@code PyEval_SaveThread}, the cheapest way to take
 * and drop the GIL. A thread whose GIL is already held by C code further up its stack (Python
 * called into Java) attaches without taking it, and does not drop it when its scope ends.
 */
final class ThreadAttachment {

    private static final ThreadLocal<ThreadAttachment> CURRENT = ThreadLocal.withInitial(ThreadAttachment::new);

    final Thread thread = Thread.currentThread();
    /** This thread's CPython thread state, 0 before its first attach. */
    private long tstate;
    /** The innermost open scope, null when the thread is not attached. */
    Scope innermost;
    /** True when the GIL was already held when the outermost scope opened. */
    private boolean borrowed;
    /** How many {@code detach} blocks are running on this thread; scopes opened outside them are unusable meanwhile. */
    int detachDepth;
    /** This OS thread's ident as CPython knows it (PyThread_get_thread_ident), for PyThreadState_SetAsyncExc. */
    volatile long pythonThreadId;
    /** True while the thread holds the GIL through an open scope (read by the interrupt watchdog). */
    volatile boolean inPython;
    /** Set when the watchdog raised KeyboardInterrupt in this thread for a Java interrupt. */
    volatile boolean interruptRaised;

    private ThreadAttachment() {}

    static ThreadAttachment current() {
        return CURRENT.get();
    }

    /** The thread that started the interpreter keeps the thread state Py_InitializeEx made. */
    void adoptThreadState(long t) {
        tstate = t;
        pythonThreadId = LibPython.PyThread_get_thread_ident();
        Interrupts.watch(this);
    }

    /** Takes the GIL for an outermost scope. */
    void acquire() {
        // Python may be calling us (a Java function called from a Python thread, or C code that
        // took the GIL itself): then the GIL is already ours and must not be taken twice.
        if (DirectCalls.gilStateCheck()) {
            borrowed = true;
            return;
        }
        if (tstate == 0) {
            LibPython.PyGILState_Ensure();
            tstate = LibPython.PyThreadState_Get().address();
            StackGuard.fitToStack(tstate, Interpreter.minor());
            pythonThreadId = LibPython.PyThread_get_thread_ident();
            Interrupts.watch(this);
        } else {
            LibPython.PyEval_RestoreThread(CApi.p(tstate));
        }
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
        LibPython.PyEval_SaveThread();
    }

    /** Drops the GIL for a detached block; the thread state is kept. */
    void suspend() {
        inPython = false;
        if (interruptRaised) {
            Interrupts.cancelPending(this);
        }
        LibPython.PyEval_SaveThread();
    }

    /** Takes the GIL back after a detached block. */
    void resume() {
        LibPython.PyEval_RestoreThread(CApi.p(tstate));
        inPython = true;
    }
}
