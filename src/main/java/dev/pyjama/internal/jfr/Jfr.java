package dev.pyjama.internal.jfr;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Whether a JDK Flight Recorder recording is running, as one volatile boolean that the hot paths
 * (attach, scope, release queue, upcall) test before they make an event object.
 *
 * <p>Why a gate of our own rather than only JFR's {@code shouldCommit()}: that pattern needs the
 * event object first, and an attach with no recording must cost nothing, not an allocation that
 * escape analysis may or may not remove (it does not in the interpreter or C1). The gate is a
 * plain load on x86; while it is false no event class is touched. While it is true, each event
 * still asks JFR ({@code shouldCommit()}) whether its type is enabled and over its threshold, so a
 * recording that leaves {@code dev.pyjama} events off costs an event object per operation, no more.
 *
 * <p>The gate follows recordings through a {@link FlightRecorderListener}, registered once when the
 * interpreter starts ({@link #install}); registering one does not start JFR. The periodic event is
 * added when the recorder initialises (adding it earlier would initialise JFR's metadata at every
 * start of pyjama, recording or not).
 */
public final class Jfr {

    /** True while at least one recording runs (it may still leave pyjama's events disabled). */
    public static volatile boolean on;

    private static boolean installed;

    /** Ids of the running recordings; the gate is whether it is empty. */
    private static final Set<Long> RUNNING = ConcurrentHashMap.newKeySet();

    private Jfr() {}

    /**
     * Follows recordings from now on; {@code periodic} emits {@link LiveObjectsEvent} when JFR asks.
     * Idempotent. A JVM without JFR (or without the {@code jdk.jfr} module) leaves the gate shut.
     */
    public static synchronized void install(Runnable periodic) {
        if (installed) {
            return;
        }
        installed = true;
        try {
            FlightRecorder.addListener(new Listener(periodic));
        } catch (Throwable noJfr) {
            // LinkageError (a runtime image without jdk.jfr), SecurityException...: no events, nothing else changes.
        }
    }

    /** Moves the gate with one recording's state. */
    private static void track(Recording r) {
        if (r.getState() == RecordingState.RUNNING) {
            RUNNING.add(r.getId());
        } else {
            RUNNING.remove(r.getId());
        }
        on = !RUNNING.isEmpty();
    }

    /** A class of its own, so that nothing of jdk.jfr is loaded before {@link #install}. */
    private static final class Listener implements FlightRecorderListener {
        private final Runnable periodic;

        Listener(Runnable periodic) {
            this.periodic = periodic;
        }

        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            try {
                FlightRecorder.addPeriodicEvent(LiveObjectsEvent.class, periodic);
            } catch (RuntimeException e) {
                // the other events still work
            }
            // Recordings started before this listener (-XX:StartFlightRecording) report no change to it.
            for (Recording r : recorder.getRecordings()) {
                track(r);
            }
        }

        @Override
        public void recordingStateChanged(Recording recording) {
            track(recording);
        }
    }
}
