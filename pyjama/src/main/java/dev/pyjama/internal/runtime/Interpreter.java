package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.AbiProfile;
import dev.pyjama.internal.abi.ThreadStateLayout;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Errors;
import dev.pyjama.internal.abi.Lifecycle;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.ThreadStates;
import dev.pyjama.internal.runtime.events.InterpreterStartEvent;
import dev.pyjama.internal.runtime.events.Jfr;
import dev.pyjama.internal.runtime.events.LiveObjectsEvent;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.pyjama.exceptions.PythonStartupException;
import java.lang.foreign.Arena;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;

/**
 * The one CPython of this JVM: found, loaded and initialised on first use, thread-safely.
 *
 * <p>Start-up: {@link Discovery} picks the interpreter; its libpython is opened with
 * {@code dlopen(RTLD_NOW | RTLD_GLOBAL)} (C extension modules need its symbols global), then
 * {@code System.load}ed so the generated bindings resolve through the loader lookup; the program
 * name is set to the real python executable (so {@code sys.executable}, the prefix and a virtual
 * environment's {@code pyvenv.cfg} are found as the command-line python finds them); then
 * {@code Py_InitializeEx(0)}: no Python signal handlers, the JVM owns signals. The starting thread
 * keeps its thread state but releases the GIL before returning.
 *
 * <p>Locking: {@link #LOCK} guards start-up only. It is taken by a thread that holds no GIL, and no
 * code holding the GIL waits for it (after start-up {@link #get()} reads a volatile field), so it
 * cannot deadlock with the GIL.
 */
public final class Interpreter {

    private static final Object LOCK = new Object();

    private static volatile Interpreter instance;

    final Installation installation;
    final long mainDict;
    final long builtins;
    /** Built-in exception types by address; made on the first error, not at start-up. */
    private volatile Map<Long, String> builtinExceptions;

    private Interpreter(Installation installation, long mainDict, long builtins) {
        this.installation = installation;
        this.mainDict = mainDict;
        this.builtins = builtins;
    }

    /** The running interpreter, started (by discovery) if it was not yet. */
    public static Interpreter get() {
        Interpreter i = instance;
        return i != null ? i : start(null);
    }

    /** Whether the interpreter has been started in this JVM. */
    public static boolean isStarted() {
        return instance != null;
    }

    /**
     * Starts the interpreter named by {@code configured} (a python executable, environment folder or
     * libpython file; null for discovery), or checks that the running one is that interpreter.
     */
    public static Interpreter start(String configured) {
        synchronized (LOCK) {
            Interpreter running = instance;
            if (running != null) {
                checkSame(running.installation, configured);
                return running;
            }
            // From here JFR recordings are followed (a recording already running opens the gate).
            Jfr.install(new LiveObjectsSample());
            long startedAt = System.nanoTime();
            // One copy of pyjama at a time (one per class loader, see Copies) decides to start
            // Python or to join the one another copy started.
            synchronized (Copies.START_LOCK) {
                String shared = Copies.runningLibrary();
                if (shared != null) {
                    Installation inst = sharedInstallation(shared);
                    checkSame(inst, configured);
                    Interpreter joined = join(inst);
                    instance = joined;
                    recordStart(startedAt, inst, true);
                    return joined;
                }
                Installation inst = Discovery.find(configured);
                Interpreter started = boot(inst);
                instance = started;
                Copies.started(inst.library().toString(),
                        inst.executable() == null ? null : inst.executable().toString());
                recordStart(startedAt, inst, false);
                return started;
            }
        }
    }

    /**
     * Commits the JFR event of the start when a recording runs. The listener that says so was
     * registered in parallel with the start; it is normally done by now (a few ms against the
     * start's tens), and is waited for a little if not.
     */
    private static void recordStart(long startedAt, Installation inst, boolean joined) {
        long took = System.nanoTime() - startedAt;
        Jfr.awaitInstalled(200);
        if (Jfr.interpreterStart()) {
            InterpreterStartEvent.emit(took, inst.source(), inst.executable() == null ? null : inst.executable().toString(),
                    inst.library().toString(), inst.version(), inst.freeThreaded(), Abi.chosenDescription(), joined);
        }
    }

    /**
     * JFR's periodic sample of what Java and Python hold of each other, run by JFR's own thread: it
     * reads counters only, never calls Python. A class rather than a lambda: none spun at start-up.
     */
    private static final class LiveObjectsSample implements Runnable {
        @Override
        public void run() {
            LiveObjectsEvent.emit(ReleaseQueue.livePyCount(), Upcalls.liveFunctions(), Upcalls.liveObjects(),
                    ReleaseQueue.queuedCount());
        }
    }

    /** Throws unless {@code configured} (null: anything) names the {@code running} interpreter. */
    private static void checkSame(Installation running, String configured) {
        if (configured == null) {
            return;
        }
        Installation wanted;
        try {
            wanted = Discovery.probe(new Discovery.Candidate("PythonConfig", configured));
        } catch (Discovery.CandidateRejected e) {
            throw new IllegalStateException("Python is already running in this JVM as "
                    + running.describe() + "; the configured " + configured
                    + " could not be used anyway: " + e.getMessage());
        }
        if (!wanted.sameAs(running)) {
            throw new IllegalStateException("Python is already running in this JVM as "
                    + running.describe() + "; it cannot be switched to "
                    + wanted.describe() + " (one CPython per process)");
        }
    }

    /** The installation another copy of pyjama started, found again through what it recorded. */
    private static Installation sharedInstallation(String library) {
        String exe = Copies.runningExecutable();
        try {
            Installation inst = Discovery.probe(new Discovery.Candidate(
                    "another copy of pyjama in this JVM (another class loader) started it", exe != null ? exe : library));
            if (!java.nio.file.Files.isSameFile(inst.library(), java.nio.file.Path.of(library))) {
                throw new PythonStartupException("another copy of pyjama in this JVM (another class loader) started "
                        + library + ", but " + exe + " now names " + inst.library());
            }
            return inst;
        } catch (Discovery.CandidateRejected | java.io.IOException e) {
            throw new PythonStartupException("another copy of pyjama in this JVM (another class loader) started "
                    + library + ", which this copy cannot use: " + e.getMessage(), e);
        }
    }

    /**
     * Joins the interpreter another copy of pyjama (another class loader) started: the same
     * libpython (dlopen gives the loaded one; the JVM's {@code System.load} of it is refused, which
     * the symbol table does not need), its own view of the interpreter (builtins, {@code __main__},
     * the support module, taken once under a GIL of its own), and an exit hook that only flushes.
     */
    private static Interpreter join(Installation inst) {
        String lib = inst.library().toString();
        // Counted first: from now on the starting copy's exit hook leaves Python running.
        Copies.joined();
        String error = Abi.load(lib);
        if (error != null) {
            throw new PythonStartupException("pyjama could not load " + lib + " (" + inst.describe() + "): " + error);
        }
        Abi.start(inst.freeThreaded());
        if (!Lifecycle.isInitialized()) {
            throw new PythonStartupException("another copy of pyjama in this JVM started " + lib
                    + ", and it is no longer initialised (the JVM is exiting?)");
        }
        addExitHook();
        long gil = ThreadStates.ensure();
        try {
            Abi.probeHeader();
            Interpreter interp = setUp(inst);
            instance = interp;
            try {
                SupportModule.get();
            } catch (RuntimeException e) {
                // It is made again on first use; a failure here must not fail the start.
            }
            return interp;
        } finally {
            ThreadStates.release(gil);
        }
    }

    private static void addExitHook() {
        Thread exitFlush = new ExitHook();
        try {
            Runtime.getRuntime().addShutdownHook(exitFlush);
        } catch (IllegalStateException shuttingDown) {
            throw new PythonStartupException("the JVM is shutting down: Python cannot be started now"
                    + " (attach before shutdown begins to use Python from a shutdown hook)");
        }
        // Every class the hook will need, loaded now: the class loader may be closed by then (an
        // application undeployed), and a class it cannot load at exit ends the hook with an error.
        ExitHook.preload();
    }

    private static Interpreter boot(Installation inst) {
        String lib = inst.library().toString();
        String error = Abi.load(lib);
        if (error != null) {
            throw new PythonStartupException("pyjama could not load " + lib + " (" + inst.describe() + "): " + error);
        }
        AbiProfile initial;
        try {
            initial = Abi.start(inst.freeThreaded());
        } catch (IllegalArgumentException badMode) {
            throw new PythonStartupException(badMode.getMessage(), badMode);
        }
        if (!initial.version().startsWith("3.") || initial.minor() < Discovery.MIN_MINOR) {
            throw new PythonStartupException(lib + " is Python " + initial.version() + "; pyjama needs CPython 3."
                    + Discovery.MIN_MINOR + " or newer");
        }
        addExitHook();
        if (!Lifecycle.isInitialized()) {
            Lifecycle.initialize(inst.executable() == null ? null : inst.executable().toString());
            if (!Lifecycle.isInitialized()) {
                throw new PythonStartupException("Py_InitializeEx failed for " + inst.describe());
            }
        } else {
            throw new PythonStartupException(lib + " is already initialised in this process by someone else;"
                    + " pyjama must start it itself");
        }
        // The starting thread holds the GIL now; set up, then release it, keeping the thread state.
        Interpreter interp;
        try {
            Abi.probeHeader();
            ThreadStateLayout.fitToStack(Lifecycle.currentThreadState());
            interp = setUp(inst);
            instance = interp; // the support module below already needs the running interpreter
            try {
                SupportModule.get(); // so that Python code can `import pyjama` (JavaException) at once
            } catch (RuntimeException e) {
                // It is made again on first use; a failure here must not fail the start.
            }
            try {
                JarPythonPath.install(); // Python packages shipped in jars (META-INF/python)
            } catch (RuntimeException e) {
                // Python code shipped in a jar is then not importable; the start goes on.
            }
        } finally {
            ThreadAttachment.current().adoptThreadState();
            ExitGate.recordStarter(ThreadAttachment.current());
        }
        return interp;
    }

    private static Interpreter setUp(Installation inst) {
        long builtins;
        long mainDict;
        try (Arena arena = Arena.ofConfined()) {
            builtins = CApi.newImportModule("builtins");
            // OWNERSHIP: both borrowed (from sys.modules and __main__), the dict kept for the interpreter's life
            long main = CApi.borrowedAddedModule(arena.allocateFrom("__main__"));
            mainDict = CApi.newRef(CApi.borrowedModuleDict(main));
        }
        return new Interpreter(inst, mainDict, builtins);
    }

    /** The built-in exception classes of {@code builtins}, by type address. The caller holds the GIL. */
    private Map<Long, String> scanBuiltinExceptions() {
        Map<Long, String> exceptions = new HashMap<>();
        long baseException = Errors.baseExceptionType();
        long dict = CApi.borrowedModuleDict(this.builtins);
        long typeType = Abi.typeType();
        // A copy of the entries (taken under the dict's critical section on a free-threaded build), so
        // a thread that changes builtins meanwhile cannot pull a key or value away while it is read.
        Containers.forEachDictItem(dict, (k, v) -> {
            if (CApi.isInstance(v, typeType) && CApi.isSubclass(v, baseException)) {
                exceptions.putIfAbsent(v, Strings.toJava(k));
            }
        });
        // Aliases (IOError, EnvironmentError) share OSError's type; keep the canonical name.
        for (Map.Entry<Long, String> e : exceptions.entrySet()) {
            String canonical = typeName(e.getKey());
            if (canonical != null) {
                e.setValue(canonical);
            }
        }
        return Map.copyOf(exceptions);
    }

    private static String typeName(long type) {
        long name = CApi.newGetAttrOrZero(type, Names.get("__name__"));
        if (name == 0) {
            return null;
        }
        try {
            return Strings.toJava(name);
        } finally {
            CApi.decRef(name);
        }
    }

    /** Flushes Python's standard streams, whatever they are now; a stream that fails is skipped. */
    private static final String FLUSH_CODE = String.join("\n",
            "import sys",
            "for name in ('stdout', 'stderr'):",
            "    stream = getattr(sys, name, None)",
            "    if stream is not None:",
            "        try:",
            "            stream.flush()",
            "        except Exception:",
            "            pass",
            "");

    /**
     * The shutdown hook that flushes Python's sys.stdout and sys.stderr when the JVM exits, so
     * buffered output is not lost, then finalises the interpreter when that is safe
     * ({@link ExitGate}). A subclass rather than a method reference: no lambda class to spin at
     * start-up.
     */
    private static final class ExitHook extends Thread {
        ExitHook() {
            super("pyjama-exit");
        }

        /** Loads and initialises the classes {@link #run} needs that nothing loaded before exit. */
        static void preload() {
            ExitGate.preload();
            Class<?> loaded = ExitFlusher.class;
            // the flusher is a new thread: its attach registers its thread state with the cleaner
            EndedThreads.preloadForExit();
            ReleaseQueue.preloadForExit();
            EventLoop.preload();
        }

        @Override
        public void run() {
            Thread flusher = new ExitFlusher();
            flusher.start();
            try {
                // A thread that holds the GIL forever must not hang the JVM's exit.
                flusher.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The asyncio loop (if any) cancels its tasks and closes, and its thread leaves Python.
            if (!flusher.isAlive()) {
                EventLoop.awaitStopped();
            }
            // Then finalise, as python does before exit(), when no Java thread is inside Python.
            ExitGate.atExit(flusher.isAlive());
        }
    }

    /**
     * Runs {@link #FLUSH_CODE} in a thread of its own (daemon, so that it cannot keep the JVM
     * alive); a subclass rather than a lambda, which would be a class spun at exit.
     */
    private static final class ExitFlusher extends Thread {
        ExitFlusher() {
            super("pyjama-exit-flush");
            setDaemon(true);
        }

        @Override
        public void run() {
            Scope scope = Scope.open();
            try {
                // Python code run through the compile and eval calls the start already linked: at
                // exit, every newly linked downcall and converted string is start-up time paid again.
                long globals = CApi.newDict();
                try {
                    long code = CApi.newCompile(FLUSH_CODE, "<pyjama exit>", CApi.FILE_INPUT);
                    try {
                        CApi.decRef(CApi.newEvalCode(code, globals, globals));
                    } finally {
                        CApi.decRef(code);
                    }
                } finally {
                    CApi.decRef(globals);
                }
            } catch (RuntimeException e) {
                // The streams could not be flushed (the error is cleared); the exit goes on.
            }
            try {
                EventLoop.requestStop();
            } catch (RuntimeException e) {
                // No loop to stop, or it is closed already; the exit goes on.
            } finally {
                scope.close();
            }
        }
    }

    // --- accessors for the runtime (the interpreter is running when these are called) ---

    public static long mainDict() {
        return instance.mainDict;
    }

    public static long builtinsModule() {
        return instance.builtins;
    }

    /** The ABI profile chosen at start, with its probes' outcome, for {@code Python.info()}; the caller holds the GIL. */
    public AbiProfile profile() {
        return Abi.profile();
    }

    /** The built-in exception name of {@code type}, or null when it is not a built-in exception class. */
    public static String builtinExceptionName(long type) {
        Interpreter i = instance;
        Map<Long, String> m = i.builtinExceptions;
        if (m == null) {
            m = i.scanBuiltinExceptions(); // idempotent: a race only scans twice
            i.builtinExceptions = m;
        }
        return m.get(type);
    }

    /** What was loaded, for messages and {@code Python.info()}. */
    public Installation installation() {
        return installation;
    }
}
