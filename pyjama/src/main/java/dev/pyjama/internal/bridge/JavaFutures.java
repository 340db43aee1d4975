package dev.pyjama.internal.bridge;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.PendingError;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Scope;
import dev.pyjama.internal.runtime.SupportModule;
import dev.pyjama.internal.runtime.Upcalls;
import dev.pyjama.internal.runtime.VirtualThreads;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Java {@link CompletionStage}s handed to Python: each becomes a {@code pyjama.JavaFuture}, which a
 * coroutine awaits. The Python half (SupportModule) makes an asyncio future on the awaiting
 * coroutine's loop; this half wakes it, from the thread that completes the Java future, through
 * {@code loop.call_soon_threadsafe}, so the result is read and set on the loop's own thread.
 *
 * <p>One Java function per stage, {@code jf(op, arg)}: 0 subscribes a waker, 1 returns the result
 * (or raises the Java exception, as a Java function would), 2 cancels the Java future, 3 says
 * whether it is done. No Java object reaches Python, so the host access policy has nothing to allow.
 */
public final class JavaFutures {

    private JavaFutures() {}

    /** A new reference to a {@code pyjama.JavaFuture} for {@code stage}. The caller is attached. */
    public static long newJavaFuture(CompletionStage<?> stage) {
        CompletableFuture<?> future;
        try {
            future = stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            // A stage that keeps its future to itself: a mirror, which Python can wait on but not cancel through.
            CompletableFuture<Object> mirror = new CompletableFuture<>();
            stage.whenComplete((r, t) -> {
                if (t != null) {
                    mirror.completeExceptionally(t);
                } else {
                    mirror.complete(r);
                }
            });
            future = mirror;
        }
        long fn = Upcalls.newFunction("java_future", null, new Ops(future));
        try {
            long make = SupportModule.newAttr("_java_future");
            try {
                long r = CApi.newCallOneArgOrZero(make, fn);
                if (r == 0) {
                    throw PendingError.fetch();
                }
                return r;
            } finally {
                CApi.decRef(make);
            }
        } finally {
            CApi.decRef(fn);
        }
    }

    private record Ops(CompletableFuture<?> future) implements Upcalls.RawBody {
        @Override
        public long call(long args, long nargs, long kwnames) throws Throwable {
            MemorySegment argv = MemorySegment.ofAddress(args).reinterpret(8 * 2);
            long op = Conversions.toLong(argv.getAtIndex(JAVA_LONG, 0));
            long arg = argv.getAtIndex(JAVA_LONG, 1);
            return switch ((int) op) {
                case 0 -> {
                    long waker = CApi.newRef(arg); // OWNERSHIP: released by wake, on whichever thread completes
                    future.whenComplete((r, t) -> wake(waker, t instanceof CancellationException
                            || (t instanceof CompletionException && t.getCause() instanceof CancellationException)));
                    yield CApi.newRef(Abi.none());
                }
                case 1 -> {
                    Object value;
                    try {
                        value = future.join();
                    } catch (CompletionException e) {
                        throw e.getCause() != null ? e.getCause() : e;
                    }
                    yield Conversions.newToPython(value);
                }
                case 2 -> bool(future.cancel(true));
                case 3 -> bool(future.isDone());
                default -> throw new IllegalArgumentException("no such operation: " + op);
            };
        }

        private static long bool(boolean b) {
            return CApi.newRef(b ? Abi.trueObj() : Abi.falseObj());
        }
    }

    /** Calls {@code waker(cancelled)} and releases it: attached, from the thread that completed the Java future. */
    private static void wake(long waker, boolean cancelled) {
        Scope scope;
        try {
            scope = Scope.openHereOrNull();
        } catch (RuntimeException exiting) {
            return; // Python is finalised (the JVM is exiting): nobody is waiting, nothing can be released
        }
        if (scope == null) {
            VirtualThreads.runOnPlatformThread(() -> {
                wake(waker, cancelled);
                return null;
            });
            return;
        }
        try {
            long flag = CApi.newRef(cancelled ? Abi.trueObj() : Abi.falseObj());
            try {
                long r = CApi.newCallOneArgOrZero(waker, flag);
                if (r == 0) {
                    PendingError.fetch(); // the waker never raises; if it did, there is nobody to tell
                } else {
                    CApi.decRef(r);
                }
            } finally {
                CApi.decRef(flag);
            }
        } catch (RuntimeException e) {
            // as above: the waker's failure has nobody to report to
        } finally {
            CApi.decRef(waker);
            scope.close();
        }
    }
}
