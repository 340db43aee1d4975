package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * An outermost attach: its duration is the time the thread waited to take the GIL (on a
 * free-threaded build, to attach its thread state). Nested scopes take nothing and make no event.
 *
 * <p>By default only waits of 1 ms or more are recorded, with their stack trace, as the JDK's own
 * monitor-wait events keep only long waits: an uncontended attach takes tens of nanoseconds, and
 * a stack trace each would multiply its cost. A recording may lower the threshold to 0.
 */
@Name(Jfr.NAMESPACE + "Attach")
@Label("Python Attach")
@Category("pyjama")
@Description("A thread attaching to CPython for an outermost scope; the duration is the wait for the GIL")
@Threshold("1 ms")
public final class AttachEvent extends Event {

    @Label("First Attach")
    @Description("The thread's first attach: CPython made its thread state")
    boolean firstAttach;

    @Label("Borrowed")
    @Description("The GIL was already held by C code further up the thread's stack (Python called Java)")
    boolean borrowed;

    /** Ends the wait and commits, if the recording wants this event. */
    public void finish(boolean firstAttach, boolean borrowed) {
        end();
        if (shouldCommit()) {
            this.firstAttach = firstAttach;
            this.borrowed = borrowed;
            commit();
        }
    }
}
