package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Abi;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import dev.pyjama.internal.abi.Scratch;
import dev.pyjama.internal.abi.ThreadStateLayout;
import dev.pyjama.internal.abi.ThreadStates;

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
 *
 * <p>Whether this thread is attached is this object's own state ({@link #innermost}); whether C
 * code further up holds the GIL is asked of CPython's current thread state
 * ({@link ThreadStates#attachedHere}), never of {@code PyGILState_Check}, which answers 1 on every thread once
 * any subinterpreter exists. When the thread ends, the thread state pyjama made for it is freed on
 * a later attach ({@link EndedThreads}).
 */
final class ThreadAttachment {

    // A subclass rather than ThreadLocal.withInitial: no lambda class to spin at start-up.
    private static final ThreadLocal<ThreadAttachment> CURRENT = new ThreadLocal<>() {
        @Override
        protected ThreadAttachment initialValue() {
            return new ThreadAttachment();
        }
    };

    final Thread thread = Thread.currentThread();
    /** This thread's native scratch memory (argument arrays, string bytes), owned here for the thread's life. */
    final Scratch scratch = Scratch.current();
    /** This thread's CPython thread state, 0 before its first attach. */
    private long tstate;
    /** What the {@code PyGILState_Ensure} that made {@link #tstate} returned; -1 when the state was not made here. */
    private long ensured = -1;
    /**
     * Set on a pyjama carrier thread before its first attach: it frees its own thread state when
     * it retires ({@link #freeOwnThreadState}), so {@link EndedThreads} must not.
     */
    boolean freesOwnState;
    /** The innermost open scope, null when the thread is not attached. */
    Scope innermost;
    /** True when the GIL was already held when the outermost scope opened. */
    boolean borrowed;
    /** How many {@code detach} blocks are running on this thread; scopes opened outside them are unusable meanwhile. */
    int detachDepth;
    /** This OS thread's ident as CPython knows it (PyThread_get_thread_ident), for PyThreadState_SetAsyncExc. */
    volatile long pythonThreadId;
    /**
     * {@link #OUT}, {@link #IN} while the thread runs Python through an open scope, or
     * {@link #RAISING} while the interrupt watchdog's raiser sets a KeyboardInterrupt for it; only
     * through {@link #PYTHON_STATE}.
     */
    @SuppressWarnings("unused")
    private int pythonState;
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

    static final int OUT = 0;
    static final int IN = 1;
    static final int RAISING = 2;
    private static final VarHandle PYTHON_STATE;

    static {
        try {
            PYTHON_STATE = MethodHandles.lookup().findVarHandle(ThreadAttachment.class, "pythonState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ThreadAttachment() {}

    /**
     * Marks the thread inside Python (it holds the GIL, or is attached). A release store, not a
     * volatile one: every attach and detach pays for this, and a fence would cost more than the
     * rest of the Java side of an attach. The raiser that acts on it reads it with the GIL held
     * ({@link #beginRaise}), which orders it on a GIL build; a free-threaded build uses the
     * compare-and-set in {@link #leavePython} and {@link #beginRaise} instead.
     */
    void enterPython() {
        PYTHON_STATE.setRelease(this, IN);
    }

    /**
     * Marks the thread outside Python, then withdraws a KeyboardInterrupt raised for it that has
     * not fired (so that it cannot fire in a later scope). Called with the GIL held (attached).
     * On a free-threaded build nothing serialises the raiser with this thread, so a raise in
     * progress is waited out (it is a few C calls) and then withdrawn.
     */
    void leavePython() {
        if (Abi.freeThreaded()) {
            while (!PYTHON_STATE.compareAndSet(this, IN, OUT)) {
                if ((int) PYTHON_STATE.getVolatile(this) != RAISING) {
                    break; // already out
                }
                Thread.onSpinWait();
            }
        } else {
            PYTHON_STATE.setRelease(this, OUT);
        }
        if (interruptRaised) {
            Interrupts.cancelPending(this);
        }
    }

    /** Whether the thread runs Python through an open scope (a hint for the watchdog's poll). */
    boolean inPython() {
        return (int) PYTHON_STATE.getAcquire(this) == IN;
    }

    /**
     * Called by the raiser, attached: whether the thread is in Python and may be sent a
     * KeyboardInterrupt now; if so, {@link #endRaise} must follow. With the GIL the thread cannot
     * leave meanwhile (leaving needs the GIL the raiser holds); free-threaded, the thread's
     * {@link #leavePython} waits for {@link #endRaise}.
     */
    boolean beginRaise() {
        if (Abi.freeThreaded()) {
            return PYTHON_STATE.compareAndSet(this, IN, RAISING);
        }
        return inPython();
    }

    /** Ends what {@link #beginRaise} began (after {@link #interruptRaised} was set). */
    void endRaise() {
        if (Abi.freeThreaded()) {
            PYTHON_STATE.setVolatile(this, IN);
        }
    }

    long stackSize() {
        if (stackSize == 0) {
            stackSize = thread.isVirtual() ? -1 : ThreadStateLayout.currentThreadStackSize();
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
     * Py_InitializeEx made. That state is the interpreter's main thread state: it is never freed
     * here (the interpreter's finalisation expects it), even when its thread ends.
     */
    void adoptThreadState() {
        tstate = ThreadStates.save();
        pythonThreadId = ThreadStates.threadIdent();
        Interrupts.watch(this);
    }

    /** Whether the GIL is held on this thread by C code further up (or by this thread's own scope). */
    boolean gilHeldHere() {
        return ThreadStates.attachedHere(tstate) != 0;
    }

    /** Whether this thread has attached before and kept its CPython thread state. */
    boolean keepsThreadState() {
        return tstate != 0;
    }

    /** Takes the GIL for an outermost scope. */
    void acquire() {
        // Python may be calling us (a Java function called from a Python thread, or C code that
        // took the GIL itself): then the GIL is already ours and must not be taken twice.
        long held = ThreadStates.attachedHere(tstate);
        if (held != 0) {
            if (held != tstate && !ThreadStates.ofMainInterpreter(held)) {
                throw new IllegalStateException("thread \"" + thread.getName() + "\" is attached to a Python"
                        + " subinterpreter by C code further up its stack; pyjama runs only in the main interpreter");
            }
            borrowed = true;
            return;
        }
        if (tstate != 0) {
            ThreadStates.restore(tstate);
            enterPython();
            return;
        }
        long existing = ThreadStates.boundToThisThread();
        if (existing != 0) {
            // A thread Python made (or C code attached) that is not attached right now: use its
            // thread state as it is; its owner deletes it.
            ThreadStates.restore(existing);
            tstate = existing;
        } else {
            pythonThreadId = ThreadStates.threadIdent();
            EndedThreads.freeLeftBy(pythonThreadId);
            ensured = ThreadStates.ensure();
            tstate = ThreadStates.current();
            ThreadStateLayout.fitToStack(tstate);
            if (!freesOwnState) {
                EndedThreads.register(this, tstate);
            }
        }
        pythonThreadId = ThreadStates.threadIdent();
        Interrupts.watch(this);
        enterPython();
    }

    /**
     * Frees, on this thread, the thread state pyjama made for it, as a CPython thread frees its own
     * when it ends: takes the GIL with it and undoes the {@code PyGILState_Ensure} that made it
     * ({@code PyGILState_Release} with the state's counter back at 0 clears it, deletes it as the
     * current state and drops the GIL). For a retiring carrier ({@link VirtualThreads}), whose
     * thread ends next; legal on free-threaded builds too, where only its own thread may clear a
     * state. Does nothing when the thread has no state it made, is attached, or the JVM's exit has
     * closed the door (Python is being finalised; the state goes with it). The exit hook counts a
     * running thread as inside Python, so it cannot finalise between the check and the GIL request.
     *
     * @return whether the state was freed
     */
    boolean freeOwnThreadState() {
        if (ensured < 0 || innermost != null || detachDepth > 0 || !ExitGate.isOpen()) {
            return false;
        }
        ThreadStates.restore(tstate);
        ThreadStates.release(ensured);
        tstate = 0;
        ensured = -1;
        return true;
    }

    /** This thread's kept thread state (0 before its first attach). */
    long threadState() {
        return tstate;
    }

    /** Drops the GIL when the outermost scope closes. */
    void release() {
        if (borrowed) {
            borrowed = false;
            return;
        }
        leavePython();
        ThreadStates.save();
    }

    /**
     * Drops the GIL for a detached block; returns the thread state to give to {@link #resume}
     * (the one that was attached, which on a thread Python made is Python's, not ours).
     */
    long suspend() {
        leavePython();
        return ThreadStates.save();
    }

    /** Takes the GIL back after a detached block with the thread state {@link #suspend} returned. */
    void resume(long saved) {
        ThreadStates.restore(saved);
        enterPython();
    }
}
