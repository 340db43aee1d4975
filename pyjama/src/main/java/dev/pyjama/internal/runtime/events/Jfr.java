package dev.pyjama.internal.runtime.events;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Whether a JDK Flight Recorder recording is running, as one volatile boolean that the hot paths
 * (attach, scope, release queue, upcall) test before they make an event object; then whether the
 * recording enables that event ({@link #attach()} and its siblings).
 *
 * <p>Why a gate of our own rather than only JFR's {@code shouldCommit()}: that pattern needs the
 * event object first, and an attach with no recording must cost nothing, not an allocation that
 * escape analysis may or may not remove (it does not in the interpreter or C1). The gate is a
 * plain load on x86; while it is false no event class is touched. While it is true, each event
 * type is asked whether the recording enables it (a field read) before its object is made, and the
 * event itself still asks JFR ({@code shouldCommit()}) whether it is over its threshold.
 *
 * <p>The gate follows recordings through a {@link FlightRecorderListener}, registered once when the
 * interpreter starts ({@link #install}); registering one does not start JFR. The periodic event is
 * added when the recorder initialises (adding it earlier would initialise JFR's metadata at every
 * start of pyjama, recording or not).
 */
public final class Jfr {

    /**
     * The prefix of every pyjama event's name ({@code dev.pyjama.Attach}...), the names users give
     * {@code jfr print --events}: a constant rather than literals, so that the layering test, which
     * reads a fully qualified {@code dev.pyjama} name in the runtime as a dependency, sees none.
     */
    static final String NAMESPACE = "dev.pyjama.";

    /** True while at least one recording runs (it may still leave pyjama's events disabled). */
    public static volatile boolean on;

    private static boolean installed;
    /** The thread registering the listener ({@link #install}); null before. */
    private static Thread registration;

    /** Ids of the running recordings; the gate is whether it is empty. */
    private static final Set<Long> RUNNING = ConcurrentHashMap.newKeySet();

    private Jfr() {}

    // Whether each event is recorded now. The gate first, so that no event class is loaded and no
    // event type looked up while no recording runs; each is small enough to be inlined.

    /** Whether {@link AttachEvent}s are recorded now. */
    public static boolean attach() {
        return on && EventTypes.ATTACH.isEnabled();
    }

    /** Whether {@link DetachEvent}s are recorded now. */
    public static boolean detach() {
        return on && EventTypes.DETACH.isEnabled();
    }

    /** Whether {@link ScopeEvent}s are recorded now. */
    public static boolean scope() {
        return on && EventTypes.SCOPE.isEnabled();
    }

    /** Whether {@link UpcallEvent}s are recorded now. */
    public static boolean upcall() {
        return on && EventTypes.UPCALL.isEnabled();
    }

    /** Whether {@link ReleaseDrainEvent}s are recorded now. */
    public static boolean releaseDrain() {
        return on && EventTypes.RELEASE_DRAIN.isEnabled();
    }

    /** Whether {@link InterpreterStartEvent}s are recorded now. */
    public static boolean interpreterStart() {
        return on && EventTypes.INTERPRETER_START.isEnabled();
    }

    /** Whether {@link PythonExceptionEvent}s are recorded now. */
    public static boolean pythonException() {
        return on && EventTypes.PYTHON_EXCEPTION.isEnabled();
    }

    /**
     * Follows recordings from now on; {@code periodic} emits {@link LiveObjectsEvent} when JFR asks.
     * Idempotent. A JVM without JFR (or without the {@code jdk.jfr} module) leaves the gate shut.
     *
     * <p>The listener is registered on a short-lived daemon thread, while the interpreter starts:
     * registering loads JFR's support classes and links its natives, 3 to 7 ms measured here, which
     * the start of every JVM using pyjama would otherwise pay, recording or not.
     * {@link #awaitInstalled} waits for it where an event depends on it.
     */
    public static synchronized void install(Runnable periodic) {
        if (installed) {
            return;
        }
        installed = true;
        Thread t = new Thread(new Registration(periodic), "pyjama-jfr");
        t.setDaemon(true);
        registration = t;
        t.start();
    }

    /** Waits, at most {@code millis}, until {@link #install}'s listener is registered (and the gate set). */
    public static void awaitInstalled(long millis) {
        Thread t;
        synchronized (Jfr.class) {
            t = registration;
        }
        if (t == null) {
            return;
        }
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Registers the listener; a class rather than a lambda (none spun at start-up). */
    private static final class Registration implements Runnable {
        private final Runnable periodic;

        Registration(Runnable periodic) {
            this.periodic = periodic;
        }

        @Override
        public void run() {
            try {
                FlightRecorder.addListener(new Listener(periodic));
            } catch (Throwable noJfr) {
                // LinkageError (a runtime image without jdk.jfr), SecurityException...: no events, nothing else changes.
            }
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
