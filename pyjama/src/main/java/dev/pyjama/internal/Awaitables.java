package dev.pyjama.internal;

import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Scalars;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.EventLoop;
import dev.pyjama.internal.runtime.Scope;
import dev.pyjama.internal.runtime.SupportModule;
import dev.pyjama.internal.runtime.Upcalls;
import dev.pyjama.internal.runtime.VirtualThreads;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python awaitables run for Java: {@code PyObject.toFuture}. The Python half is
 * {@code pyjama._submit} and its helpers (SupportModule); this half keeps, by key, the Java future
 * of every awaitable started and not yet ended, and completes it from one Java function that the
 * loop's thread calls when the task ends.
 *
 * <p>Why keys and one shared function rather than a Java function per future: a Java function is
 * a native method definition and a module, made and freed per call, which would cost more than the
 * task itself when ten thousand coroutines are started at once.
 */
public final class Awaitables {

    private record Pending(LoopFuture<Object> future, Class<?> type) {}

    private static final ConcurrentHashMap<Long, Pending> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong KEYS = new AtomicLong();

    /** {@code pyjama._submit} and {@code pyjama._cancel} (owned, kept for the interpreter's life), 0 before first use. */
    private static volatile long submit;
    private static volatile long cancel;
    /** This copy's completion function, {@code done(key, status, value)} (owned, kept), 0 before first use. */
    private static volatile long done;

    private Awaitables() {}

    /**
     * Starts {@code awaitable} (borrowed) on the calling thread's running asyncio loop, or else on
     * pyjama's own loop, and returns the future of its result converted to {@code type}. The caller
     * is attached.
     */
    @SuppressWarnings("unchecked")
    public static <T> CompletableFuture<T> submit(long awaitable, Class<T> type) {
        ensureFunctions();
        long key = KEYS.incrementAndGet();
        LoopFuture<Object> future = new LoopFuture<>(key);
        PENDING.put(key, new Pending(future, type));
        long how;
        try {
            long args = CApi.newTuple(3);
            try {
                CApi.tupleSetStolen(args, 0, CApi.newRef(awaitable));
                CApi.tupleSetStolen(args, 1, Scalars.newInt(key));
                CApi.tupleSetStolen(args, 2, CApi.newRef(done));
                long r = CApi.newCall(submit, args, 0);
                try {
                    how = Conversions.toLong(r);
                } finally {
                    CApi.decRef(r);
                }
            } finally {
                CApi.decRef(args);
            }
        } catch (RuntimeException | Error e) {
            PENDING.remove(key);
            throw e;
        }
        if (how == 2) {
            future.loopThread = Thread.currentThread();
        } else if (how == 1) {
            EventLoop.start(SupportModule.newAttr("_loop"));
        }
        return (CompletableFuture<T>) future;
    }

    /** Makes the functions once; a race makes them twice, and the loser's are dropped. */
    private static void ensureFunctions() {
        if (done != 0) {
            return;
        }
        long s = SupportModule.newAttr("_submit");
        long c = SupportModule.newAttr("_cancel");
        long d = Upcalls.newFunction("_java_done", null, new Done());
        synchronized (Awaitables.class) { // no Python call inside: never waits on the GIL while held
            if (done == 0) {
                submit = s;
                cancel = c;
                done = d;
                return;
            }
        }
        CApi.decRef(s);
        CApi.decRef(c);
        CApi.decRef(d);
    }

    /** Cancels the task of {@code key} from any thread (attaching for the moment it takes to ask its loop). */
    static void cancelTask(long key) {
        if (cancel == 0 || !PENDING.containsKey(key)) {
            return; // ended (or never started): nothing to cancel
        }
        Scope scope = Scope.openHereOrNull();
        if (scope == null) {
            VirtualThreads.runOnPlatformThread(() -> {
                cancelTask(key);
                return null;
            });
            return;
        }
        try {
            long arg = Scalars.newInt(key);
            try {
                long r = CApi.newCallOneArgOrZero(cancel, arg);
                if (r == 0) {
                    throw PythonErrors.fetch();
                }
                CApi.decRef(r);
            } finally {
                CApi.decRef(arg);
            }
        } catch (RuntimeException e) {
            // The loop is gone (the interpreter is exiting); the Java future is cancelled already.
        } finally {
            scope.close();
        }
    }

    /**
     * {@code done(key, status, value)}: status 1, the result; 2, the exception; 0, cancelled; 3, a
     * batch of such triples (pyjama's own loop sends one per loop iteration). Runs
     * on the loop's thread, attached; never raises (a failed conversion fails the Java future).
     */
    private static final class Done implements Upcalls.RawBody {
        /** The status of a batch: the value is a tuple of (key, status, value) tuples. */
        private static final long BATCH = 3;

        @Override
        public long call(long args, long nargs, long kwnames) {
            if (nargs != 3) {
                throw PythonErrors.newTypeError("_java_done() takes 3 arguments");
            }
            MemorySegment argv = MemorySegment.ofAddress(args).reinterpret(8 * 3);
            long status = Conversions.toLong(argv.getAtIndex(JAVA_LONG, 1));
            if (status == BATCH) {
                long batch = argv.getAtIndex(JAVA_LONG, 2);
                for (long i = 0, n = CApi.tupleSize(batch); i < n; i++) {
                    long item = CApi.borrowedTupleItem(batch, i);
                    one(CApi.borrowedTupleItem(item, 0), Conversions.toLong(CApi.borrowedTupleItem(item, 1)),
                            CApi.borrowedTupleItem(item, 2));
                }
            } else {
                one(argv.getAtIndex(JAVA_LONG, 0), status, argv.getAtIndex(JAVA_LONG, 2));
            }
            return CApi.newRef(Abi.none());
        }

        private static void one(long key, long status, long value) {
            Pending p = PENDING.remove(Conversions.toLong(key));
            if (p != null) {
                complete(p, status, value);
            }
        }

        private static void complete(Pending p, long status, long value) {
            LoopFuture<Object> f = p.future();
            if (status == 0) {
                f.cancelledByPython();
                return;
            }
            if (status == 2) {
                f.completeExceptionally(PythonErrors.toJava(value));
                return;
            }
            Object result;
            try {
                result = Conversions.toJava(value, p.type());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
                return;
            }
            f.complete(result);
        }
    }
}
