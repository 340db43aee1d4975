package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * What Java and Python hold of each other, sampled every second while a recording runs: a count
 * that only grows across samples is a leak.
 */
@Name(Jfr.NAMESPACE + "LiveObjects")
@Label("Python Live Objects")
@Category("pyjama")
@Description("Py handles and Java functions alive, and the release queue's depth")
@Period("1 s")
@StackTrace(false)
public final class LiveObjectsEvent extends Event {

    @Label("Live Py Handles")
    @Description("Py references neither closed nor collected yet")
    long livePy;

    @Label("Live Java Functions")
    @Description("Java functions that Python still holds")
    long liveJavaFunctions;

    @Label("Live Java Objects")
    @Description("Java objects that Python still holds (wrapped, viewed or proxied)")
    long liveJavaObjects;

    @Label("Release Queue Depth")
    @Description("References queued for release, waiting for the next attach")
    long releaseQueueDepth;

    /** Commits one sample (called by JFR's periodic task, through the runtime's hook). */
    public static void emit(long livePy, long liveJavaFunctions, long liveJavaObjects, long releaseQueueDepth) {
        LiveObjectsEvent e = new LiveObjectsEvent();
        if (e.shouldCommit()) {
            e.livePy = livePy;
            e.liveJavaFunctions = liveJavaFunctions;
            e.liveJavaObjects = liveJavaObjects;
            e.releaseQueueDepth = releaseQueueDepth;
            e.commit();
        }
    }
}
