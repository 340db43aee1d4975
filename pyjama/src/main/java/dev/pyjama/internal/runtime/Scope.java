package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Scratch;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.runtime.events.AttachEvent;
import dev.pyjama.internal.runtime.events.DetachEvent;
import dev.pyjama.internal.runtime.events.Jfr;
import dev.pyjama.internal.runtime.events.ScopeEvent;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * An attach scope: proof that its thread holds the GIL, and the owner of every reference created
 * in it. Closing it releases those references ({@code Py_DecRef}, newest first) and frees its
 * arena; closing the outermost scope of a thread also releases the GIL.
 *
 * <p>Confined: only its thread may use it or anything it owns ({@link WrongThreadException}
 * otherwise); after it closes, or while its thread is inside a detached block opened after it,
 * using it throws {@link IllegalStateException}.
 *
 * <p>Cost model: opening an outermost scope is one {@code PyEval_RestoreThread} plus a check of the
 * release queue; a nested scope is a small Java object. Each reference a scope owns costs a slot in
 * a growable array until the scope closes, so a long loop should open a nested scope per iteration
 * (or close handles early) to keep its memory flat.
 */
public final class Scope {

    final ThreadAttachment thread;
    private final Scope parent;
    private final int detachDepth;
    private static final long[] NONE_OWNED = {};

    /** New references this scope owns, released when it closes; allocated on the first one. */
    private long[] owned = NONE_OWNED;
    private int count;
    private boolean closed;
    private Arena arena;
    /** Actions to run at close ({@link #onClose}), null entries for those cancelled; allocated on the first one. */
    private Runnable[] closeActions;
    private int closeActionCount;
    /** This scope's JFR event, begun at open; null unless a recording enabled it then ({@link Jfr#scope}). */
    private ScopeEvent event;

    private Scope(ThreadAttachment thread, Scope parent) {
        this.thread = thread;
        this.parent = parent;
        this.detachDepth = thread.detachDepth;
    }

    /**
     * Opens a scope on the calling thread: the outermost one starts the interpreter if needed and
     * takes the GIL; a nested one only marks a new set of temporaries.
     */
    public static Scope open() {
        return open(ThreadAttachment.current());
    }

    /**
     * As {@link #open()}, or null (opening nothing) when an outermost attach on the calling thread
     * must run on a pyjama platform thread instead (see {@code mustRunElsewhere}): one
     * thread-local lookup for both questions, on the path every {@code Python.attach} takes.
     */
    public static Scope openHereOrNull() {
        ThreadAttachment t = ThreadAttachment.current();
        return t.innermost == null && mustRunElsewhere(t) ? null : open(t);
    }

    private static Scope open(ThreadAttachment t) {
        Scope parent = t.innermost;
        if (parent == null) {
            attachOutermost(t);
        }
        Scope s = new Scope(t, parent);
        if (Jfr.scope()) {
            s.event = ScopeEvent.start(false);
        }
        t.innermost = s;
        return s;
    }

    /**
     * Opens a scope for a Java function that Python is calling on this thread: Python holds the GIL
     * further up the stack, so an outermost scope takes it over as it is and leaves it held when it
     * closes.
     */
    public static Scope openInCallback() {
        ThreadAttachment t = ThreadAttachment.current();
        Scope parent = t.innermost;
        if (parent == null) {
            t.borrowed = true;
            ReleaseQueue.drain();
        }
        Scope s = new Scope(t, parent);
        if (Jfr.scope()) {
            s.event = ScopeEvent.start(true);
        }
        t.innermost = s;
        return s;
    }

    /** Starts the interpreter if needed and takes the GIL for the first scope of an unattached thread. */
    private static void attachOutermost(ThreadAttachment t) {
        ExitGate.checkOpen();
        if (t.keepsThreadState()) {
            // Checked on this thread's first attach, and true for its life: not virtual (it never
            // got a state), interpreter started, stack large enough.
            acquire(t);
            afterAcquire(t);
            return;
        }
        if (t.thread.isVirtual()) {
            throw new UnsupportedOperationException("a virtual thread cannot hold an attach scope open across "
                    + "its own code (it may move to another carrier thread while attached); use "
                    + "Python.attach(py -> ...), which runs the body on a platform thread");
        }
        ExitGate.register(t);
        ExitGate.checkOpen(); // again after registering: the exit hook either sees this thread or closed the door first
        Interpreter.get();
        if (t.stackTooSmall() && !t.gilHeldHere()) {
            throw new IllegalStateException("thread \"" + t.thread.getName() + "\" has a " + t.stackSize() / 1024
                    + " KiB stack; CPython needs at least " + ThreadAttachment.MIN_STACK / 1024 + " KiB (its parser"
                    + " and C recursion limits assume a large stack, and an overflow ends the JVM). Use"
                    + " Python.attach(py -> ...), which runs the body on a pyjama thread, or give the thread a"
                    + " larger stack");
        }
        acquire(t);
        afterAcquire(t);
    }

    /** Takes the GIL for an outermost scope; timed as a JFR event while a recording runs. */
    private static void acquire(ThreadAttachment t) {
        if (Jfr.attach()) {
            acquireRecorded(t);
        } else {
            t.acquire();
        }
    }

    private static void acquireRecorded(ThreadAttachment t) {
        boolean first = !t.keepsThreadState();
        AttachEvent e = new AttachEvent();
        e.begin();
        t.acquire();
        e.finish(first, t.borrowed);
    }

    /**
     * The work every outermost attach does once it holds the GIL: free the thread states of ended
     * threads (only with a GIL this thread took itself: freeing swaps thread states, which must not
     * happen under C code further up that holds the GIL), then apply queued releases.
     */
    private static void afterAcquire(ThreadAttachment t) {
        if (!t.borrowed && EndedThreads.pending()) {
            EndedThreads.free(t);
        }
        ReleaseQueue.drain();
    }

    /**
     * Whether an outermost attach on this thread must run on a pyjama platform thread: on a virtual
     * thread, or on a thread whose stack is too small for CPython.
     */
    private static boolean mustRunElsewhere(ThreadAttachment t) {
        // Before CPython is started no thread can hold the GIL.
        return t.thread.isVirtual() || (t.stackTooSmall() && !(Interpreter.isStarted() && t.gilHeldHere()));
    }

    /** The scratch memory of this scope's thread, without a thread-local lookup (check the scope first). */
    public Scratch scratch() {
        return thread.scratch;
    }

    /** The innermost open scope of the calling thread, or null when it is not attached. */
    public static Scope currentOrNull() {
        ThreadAttachment t = ThreadAttachment.current();
        Scope s = t.innermost;
        return s != null && s.detachDepth == t.detachDepth ? s : null;
    }

    /** Throws unless this scope may be used now, on this thread. */
    public void check() {
        if (thread.thread != Thread.currentThread()) {
            throw new WrongThreadException("this Python scope (and every object bound to it) belongs to thread "
                    + thread.thread.getName() + ", not " + Thread.currentThread().getName()
                    + "; pass objects between threads as Py<T> (obj.unbind(), then ref.bind(py))");
        }
        if (closed) {
            throw new IllegalStateException("this Python scope is closed: objects bound to it were released when it "
                    + "closed; keep an object longer with obj.unbind()");
        }
        if (detachDepth != thread.detachDepth) {
            throw new IllegalStateException("this Python scope is suspended by py.detach(...): its objects cannot be "
                    + "used until the detached block ends (attach again inside it to call Python)");
        }
    }

    /** Whether the scope is open and usable by the calling thread (for toString and similar). */
    public boolean isUsable() {
        return !closed && thread.thread == Thread.currentThread() && detachDepth == thread.detachDepth;
    }

    /** The innermost scope of this scope's thread, where results of operations are registered. */
    public Scope innermost() {
        return thread.innermost;
    }

    /** Takes ownership of a new reference; returns its slot for {@link #release}. */
    public int own(long newRef) {
        if (count == owned.length) {
            owned = count == 0 ? new long[8] : Arrays.copyOf(owned, owned.length * 2);
        }
        owned[count] = newRef;
        return count++;
    }

    /** Releases one reference before the scope closes (a handle's {@code close()}); idempotent. */
    public void release(int slot) {
        long a = owned[slot];
        if (a != 0) {
            owned[slot] = 0;
            // Closing the newest handles (try-with-resources on results) frees their slots for
            // reuse, so a loop that closes what it makes keeps the scope small. The handle records
            // its own closing, so a reused slot is never mistaken for it.
            while (count > 0 && owned[count - 1] == 0) {
                count--;
            }
            CApi.decRef(a);
        }
    }

    /** A confined arena that lives as long as this scope. */
    public Arena arena() {
        if (arena == null) {
            arena = Arena.ofConfined();
        }
        return arena;
    }

    /**
     * Runs {@code action} when the scope closes, before its references are released (newest
     * action first); for resources such as buffer views that must end with the scope. Returns a
     * number for {@link #cancelOnClose}.
     */
    public int onClose(Runnable action) {
        Runnable[] actions = closeActions;
        if (actions == null) {
            closeActions = actions = new Runnable[4];
        } else if (closeActionCount == actions.length) {
            closeActions = actions = Arrays.copyOf(actions, actions.length * 2);
        }
        actions[closeActionCount] = action;
        return closeActionCount++;
    }

    /**
     * Forgets the action {@link #onClose} returned {@code index} for (its resource ended early).
     * The newest actions' entries are dropped, so a loop that ends what it opens keeps the list
     * short, as with handles' slots.
     */
    public void cancelOnClose(int index) {
        Runnable[] actions = closeActions;
        if (actions == null || index >= closeActionCount) {
            return;
        }
        actions[index] = null;
        while (closeActionCount > 0 && actions[closeActionCount - 1] == null) {
            closeActionCount--;
        }
    }

    /*
     * The JFR event's work in close() is two calls behind two null checks: close() is on every
     * attach's path and must stay small enough for the JIT to inline it (FreqInlineSize, 325 bytes
     * of bytecode; it is about 290).
     */

    /** Tells the event how many references this scope is about to release. */
    private void eventReleasing() {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (owned[i] != 0) {
                n++;
            }
        }
        event.releasing(n);
    }

    private void eventClosed() {
        event.finish(parent == null);
    }

    /** Whether this scope has been closed. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the scope (and any scope still open inside it), releasing what it owns; the outermost
     * scope also releases the GIL. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        if (thread.thread != Thread.currentThread()) {
            throw new WrongThreadException("a Python scope must be closed by the thread that opened it ("
                    + thread.thread.getName() + ")");
        }
        while (thread.innermost != null && thread.innermost != this) {
            thread.innermost.close();
        }
        try {
            Runnable[] actions = closeActions;
            if (actions != null) {
                int n = closeActionCount;
                closeActions = null; // the actions' own cancelOnClose calls find nothing to change
                closeActionCount = 0;
                for (int i = n - 1; i >= 0; i--) {
                    Runnable action = actions[i];
                    try {
                        if (action != null) {
                            action.run();
                        }
                    } catch (RuntimeException e) {
                        // One failing action must not keep the others, or the releases, from running.
                    }
                }
            }
            if (event != null) {
                eventReleasing();
            }
            for (int i = count - 1; i >= 0; i--) {
                long a = owned[i];
                if (a != 0) {
                    owned[i] = 0;
                    CApi.decRef(a);
                }
            }
            if (arena != null) {
                arena.close();
            }
            if (event != null) {
                eventClosed();
            }
        } finally {
            closed = true;
            owned = null;
            thread.innermost = parent;
            if (parent == null) {
                thread.release();
            }
        }
    }

    /**
     * Runs {@code body} with the GIL released (thread state kept), then takes it back, also when
     * the body throws. Objects of open scopes cannot be used meanwhile.
     */
    public <T> T detach(Supplier<T> body) {
        check();
        Scope saved = thread.innermost;
        thread.detachDepth++;
        thread.innermost = null;
        // An attach inside the block must take and drop the GIL itself, even on a thread whose
        // outer scope only borrowed it from Python.
        boolean wasBorrowed = thread.borrowed;
        thread.borrowed = false;
        long savedState = thread.suspend();
        DetachEvent event = Jfr.detach() ? DetachEvent.start() : null;
        try {
            return body.get();
        } finally {
            Scope leftOpen = thread.innermost;
            while (leftOpen != null) {
                Scope outer = leftOpen.parent;
                leftOpen.close();
                leftOpen = outer;
            }
            if (event == null) {
                thread.resume(savedState);
            } else {
                long waitFrom = System.nanoTime();
                thread.resume(savedState);
                event.finish(System.nanoTime() - waitFrom);
            }
            thread.borrowed = wasBorrowed;
            thread.innermost = saved;
            thread.detachDepth--;
        }
    }
}
