package dev.pyjama.internal.runtime;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A debug aid for users hunting their own leaks, on when the system property
 * {@code pyjama.debug.leaks} is {@code true}: every {@code Py} records where it was created. One
 * that the garbage collector releases without it having been closed is logged with that place
 * (logger {@code dev.pyjama}, level WARNING), and at JVM exit the ones still alive are listed on
 * {@code System.err}.
 * Off, it costs one static boolean test per {@code Py}.
 */
public final class LeakTracker {

    static final boolean ENABLED = Boolean.getBoolean("pyjama.debug.leaks");
    private static final System.Logger LOG = System.getLogger("dev.pyjama");
    private static final Map<Long, Site> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /** Where a {@code Py} was created. */
    static final class Site extends Throwable {
        private static final long serialVersionUID = 1L;
        final long id = IDS.incrementAndGet();

        Site(String what) {
            super(what + " created here");
        }
    }

    static {
        if (ENABLED) {
            Runtime.getRuntime().addShutdownHook(new Thread(LeakTracker::reportLive, "pyjama-leak-report"));
        }
    }

    private LeakTracker() {}

    /** The creation site of a new reference, or null when tracking is off. */
    static Site track(String what) {
        if (!ENABLED) {
            return null;
        }
        Site s = new Site(what);
        LIVE.put(s.id, s);
        return s;
    }

    /** The reference was released: closed (by its owner) or collected (a leak, reported). */
    static void released(Site site, boolean closed) {
        if (site == null) {
            return;
        }
        if (LIVE.remove(site.id) != null && !closed) {
            LOG.log(Level.WARNING, "a Py was never closed; the garbage collector released it", site);
        }
    }

    /** The creation sites of the tracked references not yet released (for tests and reports). */
    public static List<Throwable> live() {
        return new ArrayList<>(LIVE.values());
    }

    /** At exit the logging system may already be shut down (its own hook resets it), so this writes to System.err. */
    private static void reportLive() {
        for (Site s : LIVE.values()) {
            System.err.println("WARNING: a Py is still open at JVM exit (pyjama.debug.leaks)");
            s.printStackTrace(System.err);
        }
        System.err.flush();
    }
}
