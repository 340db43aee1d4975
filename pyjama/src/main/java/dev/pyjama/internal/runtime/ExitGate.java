package dev.pyjama.internal.runtime;

import dev.pyjama.exceptions.PyPythonFinalizationError;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Lifecycle;
import dev.pyjama.internal.abi.ThreadStates;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finalises CPython when the JVM exits, as the command-line {@code python} does before it calls
 * {@code exit()}, and keeps Java threads out of it from then on.
 *
 * <p>Why: C++ extensions keep Python objects in static variables and release them in their
 * static destructors, which libc runs in {@code exit()}. DuckDB (a pybind11 module) is one: its
 * module dict holds a capsule whose destructor drops the default connection while Python is
 * finalised; if Python was never finalised, the connection's own destructor runs at {@code exit()},
 * calls {@code PyEval_SaveThread} on a thread that holds no GIL, and CPython aborts the process
 * ("Fatal Python error", status 134). The thread that calls {@code exit()} is the launcher's or the
 * VM's, never one that could attach, so the only fix is to finalise first.
 *
 * <p>When: {@code Py_FinalizeEx} deletes every other thread state; a thread that later tries to
 * take the GIL with one is ended by {@code pthread_exit} (3.10 to early 3.13 patch releases) or
 * blocked forever (3.14; later 3.13), and its kept state is freed memory. So finalising while a
 * Java thread is inside Python, or is between its attach and its GIL request, would end a JVM
 * thread under the JVM's feet. Hence, from the exit hook, after the streams are flushed:
 * <ol>
 *   <li>other shutdown hooks and non-daemon threads still running get a short time to finish, the
 *       door still open (a hook may use Python: that is promised);</li>
 *   <li>the door closes: an outermost attach now throws {@link PyPythonFinalizationError};</li>
 *   <li>pyjama's threads get a bounded time to leave Python; a thread counts as inside while it has
 *       an open scope (also in a {@code detach} block, which will take the GIL back) and, since a
 *       thread may have passed the door a moment before it closed and not yet asked for the GIL,
 *       while it is running at all ({@link Thread.State#RUNNABLE}: a thread waiting for the GIL is
 *       in native code, which Java reports so);</li>
 *   <li>if one is still inside, Python is left running (as before this class existed) and the door
 *       opens again; otherwise a thread of ours takes the GIL, checks that no non-daemon Python
 *       thread is alive (the finalisation would wait for it), and calls {@code Py_FinalizeEx}:
 *       Python's atexit functions run, daemon Python threads are stopped as CPython stops them,
 *       modules are torn down, and extensions' static state with them.</li>
 * </ol>
 * Every wait is bounded; the system property {@code pyjama.debug.exit=true} reports on stderr what
 * was decided and why.
 *
 * <p>Cost on the attach path: {@link #checkOpen} is one volatile read; a thread's first attach also
 * records its attachment here ({@link #register}).
 */
final class ExitGate {

    /** How long other shutdown hooks and running non-daemon threads get before the door closes. */
    static final long SETTLE_MILLIS = 500;
    /** How long pyjama's threads get to leave Python once the door is closed. */
    static final long LEAVE_MILLIS = 1000;
    /** How long the finalisation itself may take before the exit goes on without it. */
    static final long FINALIZE_MILLIS = 3000;
    private static final long POLL_MILLIS = 5;

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final int FINALIZED = 2;

    private static volatile int state = OPEN;
    /** The thread allowed through the closed door: the finalising one. */
    private static volatile Thread finalizer;

    /**
     * Every thread that ever attached, held weakly: an ended thread's attachment must become
     * unreachable, so that its thread state is freed ({@link EndedThreads}); cleared ones are swept
     * as the set grows.
     */
    private static final Set<WeakReference<ThreadAttachment>> ATTACHED = ConcurrentHashMap.newKeySet();
    private static int sweepAt = 64;

    static final boolean DEBUG = Boolean.getBoolean("pyjama.debug.exit");

    private ExitGate() {}

    /** Throws when the JVM is exiting and Python is finalised or about to be; one volatile read otherwise. */
    static void checkOpen() {
        if (state != OPEN && Thread.currentThread() != finalizer) {
            throw closed();
        }
    }

    private static PyPythonFinalizationError closed() {
        return new PyPythonFinalizationError(state == FINALIZED
                ? "Python was finalized because the JVM is shutting down: it cannot be attached again"
                : "the JVM is shutting down and Python is being finalized: no new attach is allowed");
    }

    /**
     * Records a thread on its first outermost attach, before it checks the door (the map's insert
     * is a full fence), so that the exit hook sees every thread that might be about to take the GIL.
     */
    static void register(ThreadAttachment t) {
        if (ATTACHED.add(new WeakReference<>(t)) && ATTACHED.size() >= sweepAt) {
            sweep();
        }
    }

    private static synchronized void sweep() {
        ATTACHED.removeIf(ExitGate::ended);
        sweepAt = Math.max(64, 2 * ATTACHED.size());
    }

    /**
     * The thread that started the interpreter: its thread state is CPython's main one
     * ({@code _PyRuntime.main_tstate}), which the finalisation must run on (see {@link Finalizer}).
     */
    private static volatile ThreadAttachment starter;

    static void recordStarter(ThreadAttachment t) {
        starter = t;
    }

    /** Whether an outermost attach of this thread may go ahead (false once the exit closed the door). */
    static boolean isOpen() {
        return state == OPEN || Thread.currentThread() == finalizer;
    }

    /** Loads the classes {@link #atExit} needs that nothing loaded before (see Interpreter's exit hook). */
    static void preload() {
        Class<?> loaded = Finalizer.class;
    }

    /**
     * Called by the exit hook (after the flush): finalises Python if and when that is safe, within
     * the bounds above. {@code gilStuck}: the flush could not get the GIL, so Java code holds it and
     * nothing can be finalised.
     */
    static void atExit(boolean gilStuck) {
        int copies = Copies.count();
        if (copies > 1) {
            debug("not finalizing: " + copies + " copies of pyjama (class loaders) share this interpreter, and this"
                    + " one cannot see the threads of the others; Python is left running");
            return;
        }
        if (gilStuck) {
            debug("not finalizing: the GIL is held (a Java thread inside an attach scope?); Python is left running");
            return;
        }
        Thread self = Thread.currentThread();
        long settleUntil = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        Thread other;
        while ((other = runningNonDaemon(self)) != null && System.nanoTime() < settleUntil) {
            pause();
        }
        if (other != null) {
            debug("thread \"" + other.getName() + "\" is still running; closing the door anyway");
        }
        state = CLOSED;
        long leaveUntil = System.nanoTime() + LEAVE_MILLIS * 1_000_000;
        ThreadAttachment inside;
        while ((inside = inside(self)) != null) {
            if (System.nanoTime() >= leaveUntil) {
                debug("not finalizing: thread \"" + inside.thread.getName() + "\" is "
                        + (inside.innermost != null || inside.detachDepth > 0 ? "inside Python" : "running and may be attaching")
                        + "; Python is left running");
                state = OPEN;
                return;
            }
            pause();
        }
        Finalizer f = new Finalizer();
        finalizer = f;
        f.start();
        try {
            f.join(FINALIZE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (f.isAlive()) {
            debug("Py_FinalizeEx did not finish within " + FINALIZE_MILLIS + " ms; the JVM exits anyway");
        } else if (state != FINALIZED) {
            state = OPEN;
        }
    }

    /** A live non-daemon platform thread other than {@code self} that is running (or blocked on a monitor). */
    private static Thread runningNonDaemon(Thread self) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != self && !t.isDaemon() && t.isAlive() && busy(t.getState())) {
                return t;
            }
        }
        return null;
    }

    private static boolean ended(WeakReference<ThreadAttachment> ref) {
        ThreadAttachment t = ref.get();
        return t == null || !t.thread.isAlive();
    }

    /** A thread that is, or may be about to be, inside Python; null when there is none. */
    private static ThreadAttachment inside(Thread self) {
        java.lang.invoke.VarHandle.fullFence(); // read the attachments' fields afresh on every round
        for (WeakReference<ThreadAttachment> ref : ATTACHED) {
            ThreadAttachment t = ref.get();
            if (t == null) {
                continue;
            }
            Thread thread = t.thread;
            if (thread == self || !thread.isAlive()) {
                continue;
            }
            if (t.innermost != null || t.detachDepth > 0 || busy(thread.getState())) {
                return t;
            }
        }
        return null;
    }

    private static boolean busy(Thread.State s) {
        return s == Thread.State.RUNNABLE || s == Thread.State.BLOCKED || s == Thread.State.NEW;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void debug(String message) {
        if (DEBUG) {
            System.err.println("pyjama exit: " + message);
        }
    }

    /**
     * Raises when a non-daemon Python thread is alive (Py_FinalizeEx would wait for it), or any
     * Python thread on a CPython where finalising with daemon threads running can crash
     * ({@link Lifecycle#finalizeRacesDaemonThreads}, {@code racy}: 3.10). Otherwise, on 3.10 to 3.12, takes the main thread's lock out of the locks that
     * {@code threading._shutdown} joins: the thread Python calls main is the Java thread that first
     * imported threading, outside Python now, and its lock is released only when it finalises
     * itself, so a finalisation from another thread would wait for it forever. CPython means to
     * ignore the main thread when {@code _shutdown} runs on another one (bpo-1596321, the comment in
     * {@code _shutdown}); 3.13 joins thread handles instead and needs nothing. Then destroys the
     * subinterpreters Python code left behind: finalising the main interpreter with one still
     * there is a fatal error on 3.10 and 3.11 ("PyInterpreterState_Delete: remaining
     * subinterpreters"); one that cannot be destroyed (running) leaves Python running.
     */
    private static final String PREPARE_TEMPLATE = String.join("\n",
            "try:",
            "    import sys",
            "    racy = %s",
            "    threading = sys.modules.get('threading')",
            "    busy = False",
            "    if threading is not None:",
            "        main = threading.main_thread()",
            "        busy = any(t.is_alive() and (racy or not t.daemon) for t in threading.enumerate() if t is not main)",
            "        lock = getattr(main, '_tstate_lock', None)",
            "        locks = getattr(threading, '_shutdown_locks', None)",
            "        if not busy and main.ident != threading.get_ident() and lock is not None and locks is not None:",
            "            with threading._shutdown_locks_lock:",
            "                locks.discard(lock)",
            "    if not busy:",
            "        for name in ('_interpreters', '_xxsubinterpreters'):",
            "            si = sys.modules.get(name)",
            "            if si is not None:",
            "                first = si.get_main()",
            "                for i in si.list_all():",
            "                    if i != first:",
            "                        si.destroy(i[0] if isinstance(i, tuple) else i)",
            "except BaseException:",
            "    busy = True",
            "if busy:",
            "    raise RuntimeError('a Python thread is alive that the finalisation would wait for or crash')",
            "");

    /**
     * Takes the GIL and finalises, never through a {@link Scope}: after {@code Py_FinalizeEx} there
     * is nothing to release. Daemon, so that a finalisation that blocks cannot keep the JVM alive.
     *
     * <p>Which thread state it finalises with depends on the CPython (see {@link #onMainState}):
     * <ul>
     *   <li>3.10 to 3.12, 3.13.0 and 3.14.3 finalise on the caller's state. It must be a state of
     *       this thread's own, made by {@code PyGILState_Ensure}: extensions that take the GIL in
     *       their teardown (pybind11's {@code gil_scoped_acquire}, DuckDB's cleanup) find the
     *       thread's state through {@code PyGILState_GetThisThreadState}; with any other state they
     *       make a new one, and a new state taking the GIL during finalisation ends the thread
     *       ({@code pthread_exit}: "FATAL: exception not rethrown" through DuckDB's C++, seen on
     *       3.11.7).</li>
     *   <li>3.13.15 (and CPython's main branch) finalise on {@code _PyRuntime.main_tstate}
     *       whichever thread calls ({@code resolve_final_tstate} in Python/pylifecycle.c): called
     *       with another state, they delete the caller's own state and then use it (a SIGSEGV in
     *       {@code _PySys_GetOptionalAttr} on 3.13.15t). There it attaches with the main state, the
     *       one {@code Py_InitializeEx} made on the thread that started Python, which is outside
     *       Python now (checked above) and would be deleted by the finalisation anyway. An
     *       extension that takes the GIL with a state of its own in its teardown then waits forever
     *       (those versions park such a thread), bounded by {@link #FINALIZE_MILLIS}.</li>
     * </ul>
     */
    private static final class Finalizer extends Thread {
        Finalizer() {
            super("pyjama-exit-finalize");
            setDaemon(true);
        }

        @Override
        public void run() {
            ThreadAttachment main = starter;
            long mainState = main != null && Lifecycle.finalizesOnMainState() ? main.threadState() : 0;
            long gilState = 0;
            if (mainState != 0) {
                ThreadStates.restore(mainState);
            } else {
                gilState = ThreadStates.ensure();
            }
            boolean busy;
            try {
                busy = nonDaemonPythonThreads();
            } catch (RuntimeException e) {
                busy = true;
            }
            if (busy) {
                debug("not finalizing: a Python thread is alive that the finalisation would wait for"
                        + (Lifecycle.finalizeRacesDaemonThreads() ? " or race with (daemon threads on 3.10)" : "")
                        + "; Python is left running");
                if (mainState != 0) {
                    ThreadStates.save();
                } else {
                    ThreadStates.release(gilState);
                }
                return;
            }
            state = FINALIZED; // before, so that nothing started by the finalisation attaches
            int status = Lifecycle.finalizeInterpreter();
            debug("Python finalized (Py_FinalizeEx returned " + status + ")");
        }

        /** Runs {@link #PREPARE_TEMPLATE}: true when it found a reason not to finalise (it raises then). */
        private static boolean nonDaemonPythonThreads() {
            long globals = CApi.newDict();
            try {
                String prepare = PREPARE_TEMPLATE.formatted(Lifecycle.finalizeRacesDaemonThreads() ? "True" : "False");
                long code = CApi.newCompile(prepare, "<pyjama exit>", CApi.FILE_INPUT);
                try {
                    CApi.decRef(CApi.newEvalCode(code, globals, globals));
                    return false;
                } finally {
                    CApi.decRef(code);
                }
            } finally {
                CApi.decRef(globals);
            }
        }
    }
}
