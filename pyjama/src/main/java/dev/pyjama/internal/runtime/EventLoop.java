package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.CApi;

/**
 * The platform thread that runs pyjama's asyncio event loop ({@code pyjama._loop}): one per
 * interpreter, started when Java first hands Python an awaitable outside any running loop, stopped
 * at the JVM's exit before the interpreter is finalised.
 *
 * <p>Why a Java thread and not a Python {@code threading.Thread}: the exit hook must stop the loop
 * (cancel its tasks, close it) before {@link ExitGate} decides whether Python can be finalised, and
 * {@code ExitGate} would refuse to finalise on 3.10 with any Python thread alive. A Java thread is
 * one of pyjama's attachments like any other: it is inside Python while the loop runs (the loop's
 * {@code select} releases the GIL), and it has left once {@code _run_loop} returns.
 */
public final class EventLoop {

    /** How long the exit waits for the loop to cancel its tasks and close (the loop's own bound is 1 s). */
    static final long STOP_MILLIS = 2000;

    private static volatile Thread thread;

    private EventLoop() {}

    /**
     * Starts the thread that runs {@code loop} (a new reference, stolen), which {@code pyjama._own_loop}
     * has just made. The caller is attached.
     */
    public static void start(long loop) {
        Thread t = new LoopThread(loop);
        thread = t;
        t.start();
    }

    /** Whether the calling thread is the one running pyjama's loop (where waiting on its futures would deadlock). */
    public static boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Loads the classes the exit needs (see Interpreter's exit hook). */
    static void preload() {
        new LoopThread(0); // not started: its class loaded
    }

    /**
     * At exit, on the attached exit thread: asks the loop to stop (it then cancels its tasks and
     * closes). Nothing when no loop was ever started by this copy of pyjama.
     */
    static void requestStop() {
        if (thread == null) {
            return;
        }
        long stop = SupportModule.newAttr("_stop_loop");
        long args = CApi.newTuple(0);
        try {
            CApi.decRef(CApi.newCall(stop, args, 0));
        } finally {
            CApi.decRef(args);
            CApi.decRef(stop);
        }
    }

    /** At exit, not attached: waits (bounded) for the loop's thread to end, so that ExitGate sees it outside Python. */
    static void awaitStopped() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            ExitGate.debug("the asyncio loop did not stop within " + STOP_MILLIS + " ms");
        }
    }

    /** Daemon: a loop that never stops cannot keep the JVM alive. */
    private static final class LoopThread extends Thread {
        private final long loop;

        LoopThread(long loop) {
            super("pyjama-asyncio");
            this.loop = loop;
            setDaemon(true);
        }

        @Override
        public void run() {
            Scope scope = Scope.open();
            try {
                long run = SupportModule.newAttr("_run_loop");
                try {
                    long args = CApi.newTuple(1);
                    CApi.tupleSetStolen(args, 0, loop); // OWNERSHIP: the loop reference passes to the tuple
                    try {
                        CApi.decRef(CApi.newCall(run, args, 0));
                    } finally {
                        CApi.decRef(args);
                    }
                } finally {
                    CApi.decRef(run);
                }
            } catch (RuntimeException e) {
                ExitGate.debug("the asyncio loop ended with " + e);
            } finally {
                scope.close();
            }
        }
    }
}
