package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One drain of the release queue: references whose {@code Py} was closed off-thread or collected,
 * released by the thread that drained them (the event's thread) while it held the GIL.
 */
@Name(Jfr.NAMESPACE + "ReleaseDrain")
@Label("Release Queue Drain")
@Category("pyjama")
@Description("A thread holding the GIL releasing the references queued by closed or collected Py handles")
@StackTrace(false)
public final class ReleaseDrainEvent extends Event {

    @Label("Depth")
    @Description("References waiting in the queue when the drain began")
    long depth;

    @Label("Drained")
    @Description("References this drain released")
    long drained;

    /** Ends the drain and commits, if the recording wants this event. */
    public void finish(long depth, long drained) {
        end();
        if (shouldCommit()) {
            this.depth = depth;
            this.drained = drained;
            commit();
        }
    }
}
