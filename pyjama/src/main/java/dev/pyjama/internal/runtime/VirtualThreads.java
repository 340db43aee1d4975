package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Abi;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs attach scopes requested by virtual threads on platform threads. A virtual thread may move
 * to another carrier thread whenever it blocks, but a CPython thread state is bound to one OS
 * thread, so a scope must never be open on a virtual thread; its body is handed to a platform
 * thread of pyjama's, a <em>carrier</em> of Python work, and the virtual thread waits (parked,
 * freeing its own carrier). Threads whose stack is too small for CPython hand their bodies over
 * the same way.
 *
 * <p>The carriers are an elastic set:
 * <ul>
 *   <li>A body goes to the carrier that went idle last (so that a few stay busy and the others
 *       time out), or waits in a queue. At most a <em>limit</em> of carriers run bodies at once;
 *       it starts at {@link #CORE}, {@code max(8, 4 * cpus)}, the size of the fixed pool this
 *       replaced, and carriers up to it are started as bodies arrive.</li>
 *   <li>The limit <em>rises</em> while the running carriers are busy but not running: blocked
 *       inside Python with the GIL released ({@code time.sleep}, a socket read, a database
 *       driver), waiting on a lock, or in Java code that detached. pyjama does not see a C call
 *       drop the GIL ({@code PyEval_SaveThread} is CPython's), so a monitor thread, awake only
 *       while bodies wait, judges by what it can see, as Go's sysmon and ForkJoinPool's
 *       compensation do: when the oldest waiting body has waited {@value #GROW_AFTER_MILLIS} ms
 *       and, in each of the last {@value #LOW_WINDOWS_TO_GROW} windows of {@value #TICK_MILLIS} ms
 *       (one alone can be a safepoint pause or a GIL hand-over), the carriers wanted less than
 *       {@value #BUSY_SHARE} of the CPU that Python work can use ({@link #capacity}: one core with
 *       a GIL, every core without), it doubles the limit (at most one carrier per waiting body)
 *       and looks again a tick later. What a carrier "wanted" is the time it ran plus the time it
 *       waited for a core ({@link Demand}): a carrier blocked in a C call, on a lock or waiting
 *       for the GIL is doing neither, whereas a CPU-bound one is, however crowded the machine.</li>
 *   <li>That test keeps CPU-bound Python from growing the set: its carriers already use the core
 *       the GIL allows, and on a GIL build more threads competing for it made the same work 35 to
 *       50 % slower with 256 threads (bench/RESULTS.md, round 7).</li>
 *   <li>The limit <em>falls</em> by one, never below {@code CORE}, each time a carrier finds no
 *       body waiting, so that a set grown for blocking work does not then run a burst of CPU-bound
 *       bodies on hundreds of threads at once; idle carriers beyond the limit just wait.</li>
 *   <li>There are never more than {@link #MAX_CARRIERS} carriers: the system property
 *       {@code pyjama.virtualThreads.maxCarriers}, by default {@code max(256, CORE)} (the JDK's own
 *       virtual-thread scheduler compensates for blocking with up to 256 threads).</li>
 *   <li>The set <em>shrinks</em> when idle: a carrier with nothing to do for
 *       {@code pyjama.virtualThreads.keepAliveMillis} (30,000 by default) frees its CPython thread
 *       state on its own thread ({@link ThreadAttachment#freeOwnThreadState}, as CPython's own
 *       threads end), also on free-threaded builds, and ends.</li>
 *   <li>A carrier keeps its thread state from one body to the next: its attaches after the first
 *       are {@code PyEval_RestoreThread} / {@code PyEval_SaveThread}, as on any platform thread.</li>
 * </ul>
 *
 * <p>Locking: one lock guards the queue and the set; no Python call and no wait for the GIL
 * happens under it.
 */
public final class VirtualThreads {

    /** Carriers started at once as bodies arrive, without the monitor's test: the former fixed pool's size. */
    static final int DEFAULT_CORE = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    /** The most carriers alive at once (system property {@code pyjama.virtualThreads.maxCarriers}). */
    static final int MAX_CARRIERS = Math.max(1, Integer.getInteger("pyjama.virtualThreads.maxCarriers",
            Math.max(256, DEFAULT_CORE)));

    /** Carriers started without the monitor's test, never more than the cap. */
    static final int CORE = Math.min(DEFAULT_CORE, MAX_CARRIERS);

    /** How long a carrier stays idle before it retires (system property {@code pyjama.virtualThreads.keepAliveMillis}). */
    static final long KEEP_ALIVE_NANOS = TimeUnit.MILLISECONDS.toNanos(Math.max(1,
            Long.getLong("pyjama.virtualThreads.keepAliveMillis", 30_000)));

    /** How long the oldest waiting body waits before the monitor considers growing the set. */
    static final long GROW_AFTER_MILLIS = 2;

    /** The monitor's period while bodies wait, and the window over which it measures what the carriers wanted of the CPU. */
    static final long TICK_MILLIS = 2;

    /**
     * How many consecutive windows of low demand raise the limit: a single one is also what a
     * safepoint pause of the JVM or a GIL hand-over between CPU-bound carriers looks like.
     */
    static final int LOW_WINDOWS_TO_GROW = 2;

    /** The longest period of the monitor, reached by doubling while the carriers keep the CPU busy. */
    static final long MAX_TICK_MILLIS = 32;

    /** The limit rises only while the carriers want less than this share of {@link #capacity}. */
    static final double BUSY_SHARE = 0.75;

    /** The stack size of the carriers, as the command-line python's main thread has. */
    static final long STACK_SIZE = 8L << 20;

    private static final Carriers CARRIERS = new Carriers();

    private VirtualThreads() {}

    /**
     * Runs {@code body} on a carrier thread and returns its result or rethrows its exception. An
     * interrupt of the waiting virtual thread is passed on to the carrier (where it stops the
     * Python code) and the wait goes on until the body has ended, so no Python work outlives this
     * call.
     */
    public static <T> T runOnPlatformThread(Supplier<T> body) {
        Job job = new Job(body, Thread.currentThread());
        CARRIERS.submit(job);
        boolean interrupted = false;
        while (!job.done) {
            LockSupport.park(job);
            if (Thread.interrupted()) {
                interrupted = true;
                job.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return job.outcome();
    }

    /** The carriers' state now (for tests and diagnostics). */
    public static Stats stats() {
        return CARRIERS.stats();
    }

    /**
     * The carriers' state: alive, idle among them, bodies waiting, how many may run bodies at once
     * now, the most alive at once so far, how many were started and how many retired (and freed
     * their thread states) so far, and how many times the monitor raised the limit.
     */
    public record Stats(int alive, int idle, int waiting, int limit, int peak, long started, long retired, long raises) {}

    /** The most carriers alive at once ({@code pyjama.virtualThreads.maxCarriers}). */
    public static int maxCarriers() {
        return MAX_CARRIERS;
    }

    /** How many carriers start without the monitor's test. */
    public static int coreCarriers() {
        return CORE;
    }

    /** One body handed to a carrier, and the place its outcome comes back to the waiting thread. */
    private static final class Job {
        private final Supplier<?> body;
        private final Thread waiter;
        /** When it was queued ({@link System#nanoTime}), guarded by the carriers' lock. */
        long queuedAt;
        private Object result;
        private Throwable failure;
        /** Written after result and failure, read before them. */
        private volatile boolean done;
        /** The carrier running the body, null before and after; guarded by this. */
        private Thread worker;
        /** An interrupt that came before the body started; guarded by this. */
        private boolean interruptPending;

        Job(Supplier<?> body, Thread waiter) {
            this.body = body;
            this.waiter = waiter;
        }

        /** Runs on a carrier; never throws. */
        void run() {
            synchronized (this) {
                worker = Thread.currentThread();
                if (interruptPending) {
                    worker.interrupt(); // interrupted before the body started
                }
            }
            try {
                result = body.get();
            } catch (Throwable t) {
                failure = t;
            } finally {
                synchronized (this) {
                    worker = null;
                    Thread.interrupted(); // do not leak an interrupt to the carrier's next body
                }
                done = true;
                LockSupport.unpark(waiter);
            }
        }

        /** Passes an interrupt of the waiting thread on to the body. */
        synchronized void interrupt() {
            if (worker != null) {
                worker.interrupt();
            } else {
                interruptPending = true;
            }
        }

        @SuppressWarnings("unchecked")
        <T> T outcome() {
            Throwable t = failure;
            if (t == null) {
                return (T) result;
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(t);
        }
    }

    /** The elastic set of carriers, its queue and its monitor. */
    private static final class Carriers {
        private final ReentrantLock lock = new ReentrantLock();
        /** Bodies no carrier has taken yet, oldest first. */
        private final ArrayDeque<Job> queue = new ArrayDeque<>();
        /** Idle carriers, the one that went idle last first. */
        private final ArrayDeque<Carrier> idle = new ArrayDeque<>();
        /** Every carrier alive, for the monitor's CPU reading. */
        private final List<Carrier> all = new ArrayList<>();
        private final Condition backlog = lock.newCondition();
        /**
         * How many carriers may run bodies at once: {@link #CORE}, raised by the monitor while the
         * running ones are blocked, lowered by one (not below CORE) whenever a carrier finds nothing
         * to do. Idle carriers beyond it wait, so that a set grown for blocking work does not run a
         * burst of CPU-bound bodies on hundreds of threads at once.
         */
        private int limit = CORE;
        /** Carriers started that have not asked for their first body yet. */
        private int starting;
        private boolean monitorStarted;
        private boolean monitorWaiting;
        private int peak;
        private long started;
        private long retired;
        private long raises;
        private int serial;

        /** Carriers running a body or about to (starting ones included). */
        private int active() {
            return all.size() - idle.size();
        }

        void submit(Job job) {
            List<Carrier> fresh;
            lock.lock();
            try {
                if (queue.isEmpty() && active() < limit) {
                    Carrier c = idle.pollFirst();
                    if (c != null) {
                        c.next = job;
                        c.wake.signal();
                        return;
                    }
                }
                job.queuedAt = System.nanoTime();
                queue.addLast(job);
                fresh = dispatchLocked();
                if (queue.size() > starting) {
                    wakeMonitorLocked();
                }
            } finally {
                lock.unlock();
            }
            if (fresh != null) {
                start(fresh, job);
            }
        }

        /**
         * Hands queued bodies to idle carriers, or adds carriers for them, up to the limit; returns
         * the added ones, for the caller to {@link #start} once it has released the lock (null for
         * none). A carrier is counted before it runs, so that a burst adds no more than it needs.
         */
        private List<Carrier> dispatchLocked() {
            List<Carrier> fresh = null;
            while (queue.size() > starting && active() < limit) {
                Carrier c = idle.pollFirst();
                if (c != null) {
                    c.next = queue.pollFirst();
                    c.wake.signal();
                } else if (all.size() < MAX_CARRIERS) {
                    c = new Carrier(this, "pyjama-platform-" + ++serial);
                    all.add(c);
                    starting++;
                    started++;
                    peak = Math.max(peak, all.size());
                    if (fresh == null) {
                        fresh = new ArrayList<>();
                    }
                    fresh.add(c);
                } else {
                    break;
                }
            }
            return fresh;
        }

        /**
         * Starts the carriers {@link #dispatchLocked} added, without the lock. One that cannot be
         * started (out of memory or of threads) is taken out of the set again; if then no carrier
         * is left to run {@code job} (null from the monitor), the job is withdrawn and this throws.
         */
        private void start(List<Carrier> fresh, Job job) {
            for (Carrier c : fresh) {
                try {
                    c.start();
                } catch (OutOfMemoryError e) {
                    lock.lock();
                    try {
                        all.remove(c);
                        starting--;
                        started--;
                        if (job != null && all.isEmpty() && queue.remove(job)) {
                            throw new IllegalStateException("could not start a platform thread to run Python work"
                                    + " for a virtual thread", e);
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }

        private void wakeMonitorLocked() {
            if (!monitorStarted) {
                Thread m = new Thread(this::monitor, "pyjama-carrier-monitor");
                m.setDaemon(true);
                try {
                    m.start();
                    monitorStarted = true;
                } catch (OutOfMemoryError e) {
                    // no thread to spare: the set does not grow for now; a later backlog tries again
                }
            } else if (monitorWaiting) {
                monitorWaiting = false;
                backlog.signal();
            }
        }

        /** The next body for {@code c}, or null when it stayed idle for the keep-alive and must retire. */
        Job take(Carrier c) {
            lock.lock();
            try {
                if (!c.running) {
                    c.running = true;
                    starting--;
                }
                Job j = queue.pollFirst();
                if (j != null) {
                    return j;
                }
                if (limit > CORE) {
                    limit--;
                }
                c.next = null;
                idle.addFirst(c);
                long left = KEEP_ALIVE_NANOS;
                while (c.next == null) {
                    if (left <= 0) {
                        idle.removeLastOccurrence(c);
                        all.remove(c);
                        return null;
                    }
                    try {
                        left = c.wake.awaitNanos(left);
                    } catch (InterruptedException e) {
                        // nobody interrupts an idle carrier on purpose; go on waiting
                    }
                }
                Job next = c.next;
                c.next = null;
                return next;
            } finally {
                lock.unlock();
            }
        }

        void retired() {
            lock.lock();
            try {
                retired++;
            } finally {
                lock.unlock();
            }
        }

        Stats stats() {
            lock.lock();
            try {
                return new Stats(all.size(), idle.size(), queue.size(), limit, peak, started, retired, raises);
            } finally {
                lock.unlock();
            }
        }

        /**
         * The monitor: while bodies wait and the oldest has waited {@link #GROW_AFTER_MILLIS}, reads
         * the carriers' CPU time every {@link #TICK_MILLIS} and raises the limit (starting carriers
         * as needed) while they use less than {@link #BUSY_SHARE} of {@link #capacity}; sleeps while
         * no body waits.
         */
        private void monitor() {
            long windowStart = 0; // 0: no reading yet since the backlog began
            long tick = TICK_MILLIS;
            int lowWindows = 0; // consecutive windows in which the carriers wanted little CPU
            while (true) {
                Carrier[] carriers;
                lock.lock();
                try {
                    while (queue.size() <= starting || limit >= MAX_CARRIERS) {
                        windowStart = 0;
                        lowWindows = 0;
                        tick = TICK_MILLIS;
                        Demand.closeAll();
                        monitorWaiting = true;
                        backlog.awaitUninterruptibly();
                    }
                    monitorWaiting = false;
                    long early = TimeUnit.MILLISECONDS.toNanos(GROW_AFTER_MILLIS)
                            - (System.nanoTime() - queue.peekFirst().queuedAt);
                    if (early > 0) {
                        windowStart = 0;
                        lowWindows = 0;
                        backlog.awaitNanos(early);
                        continue;
                    }
                    carriers = all.toArray(new Carrier[0]);
                } catch (InterruptedException e) {
                    continue; // not interrupted on purpose
                } finally {
                    lock.unlock();
                }
                long now = System.nanoTime();
                boolean baseline = windowStart == 0; // this reading only starts a window
                boolean grow;
                if (!Demand.MEASURED) {
                    grow = true; // no clock for it: grow on the wait alone
                } else {
                    long used = 0;
                    for (Carrier c : carriers) {
                        long t = Demand.of(c);
                        if (t >= 0 && c.demandSeen >= 0 && !baseline) {
                            used += t - c.demandSeen;
                        }
                        c.demandSeen = t;
                    }
                    boolean low = !baseline && used < BUSY_SHARE * capacity() * (now - windowStart);
                    lowWindows = low ? lowWindows + 1 : 0;
                    // one short window can be a GC pause or a GIL hand-over; two in a row are not
                    grow = lowWindows >= LOW_WINDOWS_TO_GROW;
                    if (grow) {
                        lowWindows = 0;
                    }
                }
                windowStart = now;
                if (grow) {
                    List<Carrier> fresh;
                    lock.lock();
                    try {
                        // as many again as run now, but no more than the bodies waiting
                        int more = Math.min(Math.max(1, limit), queue.size() - starting);
                        int raised = Math.min(MAX_CARRIERS, Math.max(limit, active()) + Math.max(0, more));
                        if (raised > limit) {
                            limit = raised;
                            raises++;
                        }
                        fresh = dispatchLocked();
                    } finally {
                        lock.unlock();
                    }
                    if (fresh != null) {
                        start(fresh, null);
                    }
                }
                // while the carriers keep the CPU busy, look less often (up to MAX_TICK_MILLIS)
                tick = grow || baseline || lowWindows > 0 ? TICK_MILLIS : Math.min(2 * tick, MAX_TICK_MILLIS);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(tick));
            }
        }
    }

    /**
     * How many cores Python work can use at once: one where a GIL serialises it, every core the JVM
     * has on a free-threaded build (where an extension that turns the GIL back on makes this an
     * overestimate, and the set may then grow under CPU-bound work up to its cap).
     */
    static double capacity() {
        return Abi.freeThreaded() ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /**
     * How much CPU a carrier wanted: the nanoseconds it ran plus those it waited for a core, from
     * the kernel's per-thread scheduler statistics ({@code /proc/self/task/<tid>/schedstat}, Linux);
     * elsewhere the JVM's per-thread CPU time. Counting the wait for a core is what keeps the test
     * right on a loaded machine: a CPU-bound carrier that other processes crowd out runs only part
     * of the time, but it is runnable all of it, whereas a carrier blocked in a C call, on a lock or
     * waiting for the GIL is neither.
     */
    private static final class Demand {
        /** Where a thread's scheduler statistics are, if this kernel keeps them. */
        static final boolean SCHEDSTAT = Files.isReadable(Path.of("/proc/thread-self/schedstat"));
        static final ThreadMXBean MX = SCHEDSTAT ? null : cpuClock();
        /** Whether either is there; without, the monitor grows on the wait alone. */
        static final boolean MEASURED = SCHEDSTAT || MX != null;

        private static final ByteBuffer BUFFER = ByteBuffer.allocate(128); // the monitor's only
        /** The carriers whose file is open: open during a backlog, closed when it ends (the monitor's only). */
        private static final List<Carrier> OPENED = new ArrayList<>();

        private static ThreadMXBean cpuClock() {
            try {
                ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                return mx.isThreadCpuTimeSupported() && mx.isThreadCpuTimeEnabled() ? mx : null;
            } catch (RuntimeException | Error e) {
                return null;
            }
        }

        /** The calling thread's kernel id, or -1 (read once by each carrier). */
        static long ownTid() {
            if (!SCHEDSTAT) {
                return -1;
            }
            try {
                // "<pid>/task/<tid>"
                return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** {@code c}'s demand so far in nanoseconds, or -1 when it cannot be read (the monitor's thread only). */
        static long of(Carrier c) {
            if (MX != null) {
                return MX.getThreadCpuTime(c.threadId());
            }
            try {
                FileChannel ch = c.schedstat;
                if (ch == null) {
                    if (c.tid < 0 || !c.isAlive()) {
                        return -1;
                    }
                    ch = FileChannel.open(Path.of("/proc/self/task/" + c.tid + "/schedstat"), StandardOpenOption.READ);
                    c.schedstat = ch;
                    OPENED.add(c);
                }
                BUFFER.clear();
                if (ch.read(BUFFER, 0) <= 0) {
                    return -1;
                }
                // "<ns on a core> <ns waiting for one> <timeslices>"
                long ran = 0;
                long waited = 0;
                int field = 0;
                for (int i = 0; i < BUFFER.position() && field < 2; i++) {
                    byte b = BUFFER.get(i);
                    if (b >= '0' && b <= '9') {
                        if (field == 0) {
                            ran = ran * 10 + (b - '0');
                        } else {
                            waited = waited * 10 + (b - '0');
                        }
                    } else {
                        field++;
                    }
                }
                return ran + waited;
            } catch (IOException | RuntimeException e) {
                closeQuietly(c);
                return -1;
            }
        }

        /** Closes the files opened during a backlog, once it is over (carriers may retire meanwhile). */
        static void closeAll() {
            for (Carrier c : OPENED) {
                closeQuietly(c);
            }
            OPENED.clear();
        }

        private static void closeQuietly(Carrier c) {
            FileChannel ch = c.schedstat;
            c.schedstat = null;
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** A carrier: runs bodies until it has been idle for the keep-alive, then frees its thread state and ends. */
    private static final class Carrier extends Thread {
        private final Carriers set;
        /** A body handed to this carrier while it was idle; guarded by the set's lock. */
        Job next;
        /** Signalled when {@link #next} is set; a condition of the set's lock. */
        final Condition wake;
        /** Whether it has asked for its first body; guarded by the set's lock. */
        boolean running;
        /** Its kernel thread id (Linux), -1 when unknown; set when it starts. */
        volatile long tid = -1;
        /** Its demand at the monitor's last reading, -1 before one (the monitor's own, as the next field). */
        long demandSeen = -1;
        /** Its scheduler statistics, opened by the monitor on first reading. */
        FileChannel schedstat;

        Carrier(Carriers set, String name) {
            // A large stack: deep Python recursion (and the parser's) must never overflow it.
            super(null, null, name, STACK_SIZE);
            this.set = set;
            this.wake = set.lock.newCondition();
            setDaemon(true);
        }

        @Override
        public void run() {
            tid = Demand.ownTid();
            ThreadAttachment self = ThreadAttachment.current();
            self.freesOwnState = true;
            try {
                for (Job j; (j = set.take(this)) != null; ) {
                    j.run();
                }
            } finally {
                try {
                    self.freeOwnThreadState();
                } catch (RuntimeException | Error e) {
                    // Python is unusable (finalised under us): nothing to free
                }
                set.retired();
            }
        }
    }
}
