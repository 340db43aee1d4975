package dev.pyjama.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs attach scopes requested by virtual threads on platform threads. A virtual thread may move
 * to another carrier thread whenever it blocks, but a CPython thread state is bound to one OS
 * thread, so a scope must never be open on a virtual thread; its body is handed to a platform
 * thread from this pool, and the virtual thread waits (parked, freeing its carrier).
 */
public final class VirtualThreads {

    /**
     * Platform threads keep their CPython thread state for life, so the pool is bounded and its
     * threads never retire: thousands of virtual threads share a few thread states. Only one thread
     * runs Python at a time on a GIL build anyway; the bound leaves room for bodies that block or
     * detach.
     */
    static final int THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    /** The stack size of the pool's threads, as the command-line python's main thread has. */
    static final long STACK_SIZE = 8L << 20;

    private static final ExecutorService PLATFORM = Executors.newFixedThreadPool(THREADS, new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            // A large stack: deep Python recursion (and the parser's) must never overflow it.
            Thread t = new Thread(null, r, "pyjama-platform-" + n.incrementAndGet(), STACK_SIZE);
            t.setDaemon(true);
            return t;
        }
    });

    private VirtualThreads() {}

    /**
     * Runs {@code body} on a platform thread and returns its result or rethrows its exception. An
     * interrupt of the waiting virtual thread is passed on to the platform thread (where it stops
     * the Python code) and the wait goes on until the body has ended, so no Python work outlives
     * this call.
     */
    public static <T> T runOnPlatformThread(Supplier<T> body) {
        CompletableFuture<T> done = new CompletableFuture<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        boolean[] interruptPending = {Thread.currentThread().isInterrupted()};
        PLATFORM.execute(() -> {
            synchronized (worker) {
                worker.set(Thread.currentThread());
                if (interruptPending[0]) {
                    Thread.currentThread().interrupt(); // interrupted before the body started
                }
            }
            try {
                done.complete(body.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                synchronized (worker) {
                    worker.set(null);
                    Thread.interrupted(); // do not leak an interrupt to the pool's next task
                }
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    synchronized (worker) {
                        Thread w = worker.get();
                        if (w != null) {
                            w.interrupt();
                        } else {
                            interruptPending[0] = true; // the body has not started yet
                        }
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
