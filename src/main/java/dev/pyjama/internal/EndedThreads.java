package dev.pyjama.internal;

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

    /** The cleanup action of one thread: only the address of its state and the interpreter generation. */
    private record Ended(long tstate, long generation) implements Runnable {
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
        if (Interpreter.freeThreaded()) {
            return;
        }
        ReleaseQueue.cleaner().register(owner, new Ended(tstate, Interpreter.generation()));
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
     * <p>{@code PyThreadState_Clear} + {@code PyThreadState_Delete} on a detached state of another
     * (ended) thread is what CPython's own finalisation and fork handling do. One catch, from 3.12:
     * deleting a state that is its thread's {@code PyGILState} state clears the <em>calling</em>
     * thread's {@code PyGILState} slot (pystate.c, {@code unbind_gilstate_tstate}), after which
     * {@code PyGILState_Ensure} on this thread would make a second state. So the deletes run under
     * a temporary state {@code x} made for this thread ({@code PyThreadState_New}, not bound to
     * PyGILState since the slot holds ours): attaching {@code x} moves the slot to it, the deletes
     * may empty the slot, {@code x} is deleted as the current state (which also drops the GIL), and
     * {@code PyEval_RestoreThread} of our state binds the slot to it again, as it finds it unbound.
     * On 3.10 and 3.11 the delete empties the slot only if it holds the deleted state, and the same
     * sequence is merely unnecessary there. {@code x} also takes whatever else a clear does to "the
     * current" state (on free-threaded builds its free lists, were this ever used there).
     * A Python {@code __del__} run by a clear runs on {@code x}, shielded from Java interrupts.
     */
    static void free(ThreadAttachment t) {
        long own = t.threadState();
        long generation = Interpreter.generation();
        Interrupts.shielded(t, () -> {
            long x = WordCalls.call(DirectCalls.ThreadStates.NEW,
                    WordCalls.call(DirectCalls.ThreadStates.INTERPRETER, own));
            if (x == 0) {
                return; // out of memory: try again on a later attach
            }
            WordCalls.call(DirectCalls.ThreadStates.SWAP, x);
            Ended e;
            while ((e = ENDED.poll()) != null) {
                if (e.generation() == generation && e.tstate() != own) {
                    WordCalls.call(DirectCalls.ThreadStates.CLEAR, e.tstate());
                    WordCalls.call(DirectCalls.ThreadStates.DELETE, e.tstate());
                }
            }
            WordCalls.call(DirectCalls.ThreadStates.CLEAR, x);
            WordCalls.call(DirectCalls.ThreadStates.DELETE_CURRENT);
            WordCalls.call(DirectCalls.ThreadStates.RESTORE, own);
        });
    }
}
