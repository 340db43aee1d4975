package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.ThreadStates;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The CPython thread states of Java threads that have ended: with the GIL, freed by the next
 * outermost attach of any thread; free-threaded, by the first attach of the next thread that runs
 * with the ended one's OS thread identifier.
 *
 * <p>A platform thread keeps the thread state pyjama made for it ({@code PyGILState_Ensure} on its
 * first attach) for its whole life: that is the fast path. When the thread ends, its
 * {@link ThreadAttachment}, which only the thread's own {@code ThreadLocal} reaches (and, until its
 * watchdog sees the thread has ended, {@link Interrupts}), becomes unreachable; the library's
 * {@code Cleaner} then queues the state's address here and nothing else (it never calls Python).
 * A thread that later attaches with a GIL it took itself frees the queue ({@link #free}). Without
 * this, a program that starts a thread per task grows by some 4.5 KiB per thread (the state and
 * its frame stack), and CPython's list of thread states, which {@code sys._current_frames} and
 * {@code PyThreadState_SetAsyncExc} walk, grows with it (a reused OS thread id may even make
 * {@code SetAsyncExc} find the dead thread's state first).
 *
 * <p>Only states pyjama created are freed: not the interpreter's main thread state (kept by the
 * thread that started it, see {@link ThreadAttachment#adoptThreadState}), and not a state Python or
 * C code made for a thread that pyjama then used (their owners delete them).
 *
 * <p>Free-threaded builds cannot free them that way: there a state carries per-OS-thread data (its
 * biased-reference-counting entry, freelists and mimalloc heaps, keyed by the thread's TLS
 * address, which is also {@code PyThread_get_thread_ident}), and a new thread often reuses a dead
 * thread's TLS address at once (glibc hands it the dead thread's cached stack). Clearing the dead
 * state from another thread would merge refcounts and abandon heap pages that the new thread
 * treats as its own, concurrently with it; CPython itself only clears a state on its own thread,
 * or with all threads stopped. So each state pyjama makes is recorded under its thread's
 * identifier ({@link #register}); a thread that attaches for the first time and finds a state
 * recorded under its own identifier knows that state's thread has ended (two live threads never
 * share one), and, being the identifier's owner now, frees it on itself before it makes its own
 * ({@link #freeLeftBy}): the ended thread's exit path, run late. The states kept are then at most
 * one per identifier a thread ever ran with, bounded by the threads alive at once plus glibc's
 * cache of stacks, however many threads come and go.
 */
final class EndedThreads {

    private static final ConcurrentLinkedQueue<Ended> ENDED = new ConcurrentLinkedQueue<>();
    /** Free-threaded builds: the state pyjama made for each OS thread identifier, by identifier. */
    private static final ConcurrentHashMap<Long, Long> BY_IDENT = new ConcurrentHashMap<>();

    private EndedThreads() {}

    /** Loads the class a thread's first attach needs, for an exit hook whose class loader may be closed by then. */
    static void preloadForExit() {
        Class<?> loaded = Ended.class;
    }

    /** The cleanup action of one thread: only the address of its state. */
    private record Ended(long tstate) implements Runnable {
        @Override
        public void run() {
            ENDED.add(this);
        }
    }

    /**
     * Queues {@code tstate} (made by {@code PyGILState_Ensure} for {@code owner}'s thread) for
     * freeing once {@code owner} is unreachable, that is once its thread has ended.
     */
    static void register(ThreadAttachment owner, long tstate) {
        if (Abi.freeThreaded()) {
            BY_IDENT.put(owner.pythonThreadId, tstate);
            return;
        }
        ReleaseQueue.cleaner().register(owner, new Ended(tstate));
    }

    /**
     * Free-threaded builds, on a thread's first attach, before it has a state (nothing attached):
     * frees the state an ended thread with the same OS thread identifier left behind, on this
     * thread (see the class comment). A no-op with the GIL.
     */
    static void freeLeftBy(long ident) {
        if (!Abi.freeThreaded()) {
            return;
        }
        Long dead = BY_IDENT.remove(ident);
        if (dead != null) {
            ThreadStates.freeLeftOnThisThread(dead);
        }
    }

    /** Whether states wait to be freed; cheap enough for every attach. */
    static boolean pending() {
        return !ENDED.isEmpty();
    }

    /**
     * Frees the queued states. The calling thread holds the GIL through its own thread state
     * {@code t}, taken by itself (not borrowed from C code further up).
     *
     * <p>How, and why it is legal: {@link ThreadStates#freeEnded}.
     */
    static void free(ThreadAttachment t) {
        long own = t.threadState();
        Interrupts.shielded(t, () -> {
            long[] dead = new long[Math.max(1, ENDED.size())];
            int n = 0;
            Ended e;
            while (n < dead.length && (e = ENDED.poll()) != null) {
                dead[n++] = e.tstate();
            }
            if (!ThreadStates.freeEnded(own, dead, n)) {
                for (int i = 0; i < n; i++) {
                    ENDED.add(new Ended(dead[i])); // out of memory: try again on a later attach
                }
            }
        });
    }
}
