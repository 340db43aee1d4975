package dev.pyjama.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs attach scopes requested by virtual threads on platform threads. A virtual thread may move
 * to another carrier thread whenever it blocks, but a CPython thread state is bound to one OS
 * thread, so a scope must never be open on a virtual thread; its body is handed to a platform
 * thread from this pool, and the virtual thread waits (parked, freeing its carrier).
 */
public final class VirtualThreads {

    private static final ExecutorService PLATFORM = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pyjama-platform");
        t.setDaemon(true);
        return t;
    });

    private VirtualThreads() {}

    /** Runs {@code body} on a platform thread and returns its result or rethrows its exception. */
    public static <T> T runOnPlatformThread(Supplier<T> body) {
        Future<T> f = PLATFORM.submit(body::get);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
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
