package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.ThreadStates;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The CPython thread states of Java threads that have ended, freed by the next outermost attach of
 * any thread.
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
 * <p>Free-threaded builds keep the states of ended threads (as before): there a state carries
 * per-OS-thread data (its biased-reference-counting entry and mimalloc heaps, keyed by the thread's
 * TLS address), and a new thread often reuses a dead thread's TLS address at once. Clearing the dead
 * state from another thread would then merge refcounts and abandon heap pages that the new thread
 * treats as its own, concurrently with it. CPython itself only clears a state on its own thread, or
 * with all threads stopped.
 */
final class EndedThreads {

    private static final ConcurrentLinkedQueue<Ended> ENDED = new ConcurrentLinkedQueue<>();

    private EndedThreads() {}

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
            return;
        }
        ReleaseQueue.cleaner().register(owner, new Ended(tstate));
    }

    /** Whether states wait to be freed; cheap enough for every attach. */
    static boolean pending() {
        return !ENDED.isEmpty();
    }

    /** How many states wait to be freed (for tests). */
    static int pendingCount() {
        return ENDED.size();
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
