package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Errors;
import dev.pyjama.exceptions.PythonInterruptedException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Turns {@link Thread#interrupt()} of a Java thread that is running Python code into a
 * {@code KeyboardInterrupt} raised in that thread only ({@code PyThreadState_SetAsyncExc}), which
 * reaches Java as {@link PythonInterruptedException}.
 *
 * <p>Java has no callback for an interrupt, so a daemon watchdog looks every
 * {@value #POLL_MILLIS} ms at the threads that hold the GIL through a scope. Raising needs the GIL,
 * which the busy thread holds; the eval loop hands it over at its switch interval (5 ms by
 * default). The watchdog never waits for the GIL itself: a short-lived task does, so one thread
 * that holds the GIL in Java code cannot stall interrupts for the others.
 *
 * <p>Python code blocked in a C call (a {@code time.sleep}, a socket read) sees the exception only
 * when that call returns. A pending exception that was not raised before the thread leaves Python
 * is withdrawn, so it never fires in a later scope.
 *
 * <p>Locking: only lock-free collections; the watchdog takes no lock and never holds the GIL.
 */
public final class Interrupts {

    static final int POLL_MILLIS = 10;

    private static final ConcurrentHashMap<ThreadAttachment, Boolean> WATCHED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<ThreadAttachment, Boolean> RAISING = new ConcurrentHashMap<>();
    private static volatile Thread watchdog;

    /** Made on the first interrupt: most programs never have one, and start-up should not pay for a pool. */
    private static final class Raisers {
        static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "pyjama-interrupt");
            t.setDaemon(true);
            return t;
        });
    }

    // A subclass rather than a method reference: no lambda class to spin at start-up.
    private static final class Watchdog extends Thread {
        Watchdog() {
            super("pyjama-interrupt-watchdog");
            setDaemon(true);
        }

        @Override
        public void run() {
            poll();
        }
    }

    private Interrupts() {}

    /** Starts watching a thread that has a CPython thread state. */
    static void watch(ThreadAttachment t) {
        WATCHED.put(t, Boolean.TRUE);
        if (watchdog == null) {
            startWatchdog();
        }
    }

    private static synchronized void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        Thread w = new Watchdog();
        watchdog = w;
        w.start();
    }

    private static void poll() {
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            for (ThreadAttachment t : WATCHED.keySet()) {
                if (!t.thread.isAlive()) {
                    WATCHED.remove(t);
                } else if (t.inPython() && !t.interruptRaised && t.thread.isInterrupted()
                        && RAISING.putIfAbsent(t, Boolean.TRUE) == null) {
                    Raisers.POOL.execute(() -> raiseIn(t));
                }
            }
        }
    }

    private static void raiseIn(ThreadAttachment t) {
        try {
            Scope scope = Scope.open();
            try {
                // Still in Python? It may have left while we waited for the GIL.
                if (!t.interruptRaised && t.thread.isInterrupted() && t.beginRaise()) {
                    try {
                        Errors.raiseInThread(t.pythonThreadId, Errors.keyboardInterruptType());
                        t.interruptRaised = true;
                    } finally {
                        t.endRaise();
                    }
                }
            } finally {
                scope.close();
            }
        } catch (RuntimeException e) {
            // The interpreter is unusable; nothing to interrupt.
        } finally {
            RAISING.remove(t);
        }
    }

    /**
     * Runs {@code body} (the GIL is held) so that a Java interrupt cannot fire inside it. The
     * release queue runs {@code __del__} methods of objects other code dropped earlier: an interrupt
     * meant for this thread's own Python code would fire there, be printed as "Exception ignored"
     * and lost, and leave the destructor half done. A KeyboardInterrupt raised but not yet fired is
     * withdrawn first; the thread is still interrupted, so the watchdog raises it again once
     * {@code body} is done (its raiser re-checks {@code inPython} after taking the GIL, which
     * {@code body} may hand over at a switch interval).
     */
    static void shielded(ThreadAttachment t, Runnable body) {
        boolean wasInPython = t.inPython();
        t.leavePython();
        try {
            body.run();
        } finally {
            if (wasInPython) {
                t.enterPython();
            }
        }
    }

    /** Withdraws a KeyboardInterrupt that was raised for this thread but has not fired. The GIL is held. */
    static void cancelPending(ThreadAttachment t) {
        Errors.raiseInThread(t.pythonThreadId, 0);
        t.interruptRaised = false;
    }

    /**
     * If the current thread's KeyboardInterrupt came from a Java interrupt, the exception to throw
     * instead of the plain one; otherwise null. Called by the error translation, with the GIL held.
     */
    public static PythonInterruptedException consume() {
        ThreadAttachment t = ThreadAttachment.current();
        if (!t.interruptRaised) {
            return null;
        }
        t.interruptRaised = false;
        return new PythonInterruptedException("Python code on thread \"" + t.thread.getName()
                + "\" stopped because the thread was interrupted");
    }
}
