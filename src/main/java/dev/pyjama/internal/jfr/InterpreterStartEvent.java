package dev.pyjama.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** CPython found and started (or joined, when another copy of pyjama started it), with how long it took. */
@Name("dev.pyjama.InterpreterStart")
@Label("Python Interpreter Start")
@Category("pyjama")
@Description("CPython found, loaded and initialised; the duration is the whole start")
public final class InterpreterStartEvent extends Event {

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

    /** Ends the start and commits, if the recording wants this event. */
    public void finish(String discovery, String executable, String library, String version, boolean freeThreaded,
            String abi, boolean joined) {
        end();
        if (shouldCommit()) {
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
