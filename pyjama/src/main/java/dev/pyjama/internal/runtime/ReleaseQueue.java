package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.runtime.events.Jfr;
import dev.pyjama.internal.runtime.events.ReleaseDrainEvent;
import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * References whose Java owner became unreachable (or was closed while its thread was not
 * attached), waiting for a thread that holds the GIL to release them.
 *
 * <p>The library's one {@link Cleaner} runs {@link Release} actions, which only put an address on
 * this queue: the Cleaner thread never calls into Python. {@link #drain()} runs on every
 * outermost attach and whenever a {@code Py} is closed on an attached thread.
 *
 * <p>Locking: the queue is lock-free, so a thread holding the GIL never waits on a Java lock here
 * and the Cleaner thread never waits for the GIL; no lock-ordering cycle can form through it.
 */
public final class ReleaseQueue {

    /** Made (and its thread started) on the first registration: scope-owned handles never need it. */
    private static final class Cleaners {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "pyjama-cleaner");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads, without initialising, the class the first registration needs, for the exit hook of a
     * copy whose class loader may be closed by the time the JVM exits (Interpreter).
     */
    static void preloadForExit() {
        Class<?> loaded = Cleaners.class;
    }

    /** The library's one Cleaner, also for {@link EndedThreads}. */
    static Cleaner cleaner() {
        return Cleaners.CLEANER;
    }

    private static final ConcurrentLinkedQueue<Release> PENDING = new ConcurrentLinkedQueue<>();

    /*
     * Counters for JFR's live-object sample and drain events, kept always (a recording may start at
     * any time): Py handles registered, releases queued, releases applied. Striped adders, so that
     * threads making Py handles do not contend on one word; each is one add per Py, next to the
     * Cleaner's own registration, which takes a lock. Counting the queue (rather than asking
     * ConcurrentLinkedQueue.size(), which walks it) keeps a sample O(1).
     */
    private static final LongAdder REGISTERED = new LongAdder();
    private static final LongAdder QUEUED = new LongAdder();
    private static final LongAdder DRAINED = new LongAdder();

    private ReleaseQueue() {}

    /**
     * The cleanup action of one owned reference: it holds only the address (and, when leaks are
     * tracked, where the reference was made).
     */
    record Release(long address, LeakTracker.Site site) implements Runnable {
        @Override
        public void run() {
            PENDING.add(this);
            QUEUED.increment();
        }
    }

    /** An owned reference's release: close it to release now, or leave it to the Cleaner. */
    public static final class Handle {
        private final Cleaner.Cleanable cleanable;
        private final Release release;

        private Handle(Cleaner.Cleanable cleanable, Release release) {
            this.cleanable = cleanable;
            this.release = release;
        }

        /** Queues the release now (idempotent with the Cleaner's own run). */
        public void clean() {
            LeakTracker.released(release.site(), true);
            cleanable.clean();
        }
    }

    /**
     * Registers {@code owner} so that, once unreachable, its reference is queued for release;
     * {@code trackLeaks} lets the leak tracker watch it (not for references pyjama hands out itself,
     * such as an exception's value).
     */
    public static Handle register(Object owner, long address, boolean trackLeaks) {
        Release r = new Release(address, trackLeaks ? LeakTracker.track("Py") : null);
        REGISTERED.increment();
        return new Handle(Cleaners.CLEANER.register(owner, r), r);
    }

    /**
     * Applies queued releases now: at once when the calling thread is attached, otherwise by
     * attaching briefly (which drains the queue).
     */
    public static void releaseNow() {
        if (!Interpreter.isStarted()) {
            return;
        }
        if (Scope.currentOrNull() != null) {
            drain();
        } else if (!Thread.currentThread().isVirtual() && ExitGate.isOpen()) {
            // At exit, once Python is finalised or about to be, the release is dropped: close() must not throw.
            try {
                Scope.open().close();
            } catch (dev.pyjama.exceptions.PyPythonFinalizationError closedMeanwhile) {
                // the exit closed the door between the check and the attach
            }
        }
        // A virtual thread leaves the release to the next attach of any thread.
    }

    /** Number of releases waiting (for tests and the leak report). */
    public static int pendingCount() {
        return PENDING.size();
    }

    /** Releases queued and not yet applied, from the counters (O(1); for JFR). */
    static long queuedCount() {
        return QUEUED.sum() - DRAINED.sum();
    }

    /** {@code Py} handles neither closed nor collected (their release not yet queued; for JFR). */
    static long livePyCount() {
        return REGISTERED.sum() - QUEUED.sum();
    }

    /**
     * Releases everything queued. The caller holds the GIL. The error indicator is saved around the releases
     * (a {@code __del__} may run) and restored after; a Java interrupt of this thread waits until
     * the releases are done rather than firing in some earlier object's {@code __del__}.
     */
    static void drain() {
        if (PENDING.isEmpty()) {
            return;
        }
        if (Jfr.releaseDrain()) {
            drainRecorded();
            return;
        }
        Interrupts.shielded(ThreadAttachment.current(), () -> CApi.withErrorSaved(ReleaseQueue::releaseQueued));
    }

    /** {@link #drain} while a JFR recording runs: the same, timed, with the queue's depth and the count. */
    private static void drainRecorded() {
        ReleaseDrainEvent event = new ReleaseDrainEvent();
        long depth = queuedCount();
        long[] drained = new long[1];
        event.begin();
        Interrupts.shielded(ThreadAttachment.current(), () -> CApi.withErrorSaved(() -> drained[0] = releaseQueued()));
        event.finish(depth, drained[0]);
    }

    /** Releases what is queued now; returns how many. The caller holds the GIL, error indicator saved. */
    private static long releaseQueued() {
        long n = 0;
        Release r;
        try {
            while ((r = PENDING.poll()) != null) {
                n++;
                LeakTracker.released(r.site(), false);
                CApi.decRef(r.address());
            }
        } finally {
            DRAINED.add(n);
        }
        return n;
    }
}
