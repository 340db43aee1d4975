package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * A {@code py.detach(...)} block: the GIL released while Java works. Its duration is the whole
 * block; taking the GIL back at its end is a GIL wait too, reported apart.
 */
@Name(Jfr.NAMESPACE + "Detach")
@Label("Python Detach")
@Category("pyjama")
@Description("A py.detach block: the GIL released while Java code runs, then taken back")
public final class DetachEvent extends Event {

    @Label("Reattach Wait")
    @Description("Time spent taking the GIL back when the block ended")
    @Timespan(Timespan.NANOSECONDS)
    long reattachWait;

    /** A detached block's event, begun now (the GIL just released). */
    public static DetachEvent start() {
        DetachEvent e = new DetachEvent();
        e.begin();
        return e;
    }

    /** Ends the block and commits, if the recording wants this event. */
    public void finish(long reattachWaitNanos) {
        end();
        if (shouldCommit()) {
            this.reattachWait = reattachWaitNanos;
            commit();
        }
    }
}
