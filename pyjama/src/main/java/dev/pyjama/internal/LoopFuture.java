package dev.pyjama.internal;

import dev.pyjama.internal.runtime.EventLoop;
import dev.pyjama.internal.runtime.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link CompletableFuture} of a Python awaitable started for Java ({@code PyObject.toFuture}):
 * cancelling it cancels the asyncio task, and waiting on it never holds the GIL.
 *
 * <p>Why the waits are overridden: the task completes on an event loop's thread, which needs the
 * GIL (on a GIL build) to run; a thread that waits inside an attach scope would hold it and wait
 * forever. So a wait on an attached thread releases the GIL for its duration (as
 * {@code py.detach} does), and a wait on the loop's own thread, which could never end, throws.
 * Dependent stages are futures of this class too, so {@code f.thenApply(...).join()} behaves the
 * same.
 *
 * @param <T> the result type
 */
public final class LoopFuture<T> extends CompletableFuture<T> {

    /** The key of the task in {@code pyjama._tasks}; 0 for a dependent stage, which has no task of its own. */
    private final long key;
    /** The thread whose running loop runs the task, when Python code on it asked; null for pyjama's own loop. */
    volatile Thread loopThread;

    LoopFuture(long key) {
        this.key = key;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopFuture<>(0);
    }

    /** Cancels this future and, when it stands for a task still running, the task (asynchronously, on its loop). */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && key != 0) {
            Awaitables.cancelTask(key);
        }
        return cancelled;
    }

    /** Completes as cancelled because the task was: nothing to pass back to Python. */
    void cancelledByPython() {
        super.cancel(false);
    }

    @Override
    public T join() {
        if (!isDone()) {
            unattached(super::join);
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            unattached(super::get);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone()) {
            unattached(() -> super.get(timeout, unit));
        }
        return super.get(0, TimeUnit.NANOSECONDS); // done, timed out or interrupted: reported here
    }

    /** A wait; how it ended (value, exception, interrupt) is reported by the plain call that follows it. */
    private interface Wait {
        Object run() throws Exception;
    }

    /** Runs {@code wait} with the GIL released when the calling thread holds it. */
    private void unattached(Wait wait) {
        Thread mine = loopThread;
        if (mine == null ? EventLoop.isLoopThread() : mine == Thread.currentThread()) {
            throw new IllegalStateException("waiting for an asyncio task on the event loop's own thread would never end:"
                    + " await it in Python, or chain a stage (thenApply, whenComplete) instead of join/get");
        }
        Scope scope = Scope.currentOrNull();
        if (scope == null) {
            runWait(wait);
        } else {
            scope.detach(() -> {
                runWait(wait);
                return null;
            });
        }
    }

    private static void runWait(Wait wait) {
        try {
            wait.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the get() that follows throws it
        } catch (Exception e) {
            // reported by the call that follows
        }
    }
}
