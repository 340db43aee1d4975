package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * CPython found and started (or joined, when another copy of pyjama started it), with how long it
 * took. Committed when the start ends, its time a field: whether a recording runs is known only
 * once {@link Jfr}'s listener, registered as the start begins, has been.
 */
@Name(Jfr.NAMESPACE + "InterpreterStart")
@Label("Python Interpreter Start")
@Category("pyjama")
@Description("CPython found, loaded and initialised")
public final class InterpreterStartEvent extends Event {

    @Label("Start Time Taken")
    @Description("Discovery, loading and initialisation")
    @Timespan(Timespan.NANOSECONDS)
    long took;

    @Label("Discovery")
    @Description("How the interpreter was found (PythonConfig, pyjama.python, PYJAMA_PYTHON, VIRTUAL_ENV, PATH...)")
    String discovery;

    @Label("Executable")
    String executable;

    @Label("Library")
    String library;

    @Label("Version")
    String version;

    @Label("Build")
    @Description("GIL or free-threaded")
    String build;

    @Label("ABI Profile")
    @Description("The ABI profile chosen at start (verified shortcuts or portable)")
    String abi;

    @Label("Joined")
    @Description("Another copy of pyjama in this JVM (another class loader) had started it")
    boolean joined;

    /** Commits one, if the recording wants this event. */
    public static void emit(long tookNanos, String discovery, String executable, String library, String version,
            boolean freeThreaded, String abi, boolean joined) {
        InterpreterStartEvent e = new InterpreterStartEvent();
        e.fill(tookNanos, discovery, executable, library, version, freeThreaded, abi, joined);
    }

    private void fill(long tookNanos, String discovery, String executable, String library, String version,
            boolean freeThreaded, String abi, boolean joined) {
        if (shouldCommit()) {
            this.took = tookNanos;
            this.discovery = discovery;
            this.executable = executable;
            this.library = library;
            this.version = version;
            this.build = freeThreaded ? "free-threaded" : "GIL";
            this.abi = abi;
            this.joined = joined;
            commit();
        }
    }
}
