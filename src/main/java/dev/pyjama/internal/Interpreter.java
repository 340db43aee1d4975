package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.exceptions.PythonStartupException;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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

    /** PY_VECTORCALL_ARGUMENTS_OFFSET: the callee may use args[-1]. */
    static final long VECTORCALL_ARGUMENTS_OFFSET = 1L << 63;
    static final long TPFLAGS_LONG_SUBCLASS = 1L << 24;
    static final long TPFLAGS_LIST_SUBCLASS = 1L << 25;
    static final long TPFLAGS_TUPLE_SUBCLASS = 1L << 26;
    static final long TPFLAGS_BYTES_SUBCLASS = 1L << 27;
    static final long TPFLAGS_UNICODE_SUBCLASS = 1L << 28;
    static final long TPFLAGS_DICT_SUBCLASS = 1L << 29;
    static final long TPFLAGS_BASE_EXC_SUBCLASS = 1L << 30;
    static final long TPFLAGS_TYPE_SUBCLASS = 1L << 31;

    private static final Object LOCK = new Object();

    // Hot copies of the running interpreter's constants, plain statics read on every operation.
    // They are written once, by the starting thread, before `instance` is published (a volatile
    // write), and every reader reaches them after reading `instance` or through a scope opened
    // after the start, so they are safely visible.
    private static long hotObTypeOffset;
    private static boolean hotInlineRefCounts;
    private static boolean hotImmortals;
    private static long hotNone;
    private static long hotTrue;
    private static long hotFalse;
    private static long hotFloatType;
    private static long hotLongType;
    private static long hotStrType;
    private static boolean hotVectorcall;
    private static volatile Interpreter instance;
    private static long generation = 1;

    final Installation installation;
    final int minor;
    final long obTypeOffset;
    final long none;
    final long trueObj;
    final long falseObj;
    final long mainDict;
    final long builtins;
    /** Built-in exception types by address; made on the first error, not at start-up. */
    private volatile Map<Long, String> builtinExceptions;
    private final Map<String, Long> types;
    /** The float type, read on the hot path of every double conversion. */
    final long floatType;

    private Interpreter(Installation installation, int minor, long obTypeOffset, long none, long trueObj, long falseObj,
            long mainDict, long builtins, Map<String, Long> types) {
        this.installation = installation;
        this.minor = minor;
        this.obTypeOffset = obTypeOffset;
        this.none = none;
        this.trueObj = trueObj;
        this.falseObj = falseObj;
        this.mainDict = mainDict;
        this.builtins = builtins;
        this.types = types;
        this.floatType = types.get("PyFloat_Type");
        hotObTypeOffset = obTypeOffset;
        hotNone = none;
        hotTrue = trueObj;
        hotFalse = falseObj;
        hotFloatType = floatType;
        hotLongType = types.get("PyLong_Type");
        hotStrType = types.get("PyUnicode_Type");
        hotVectorcall = minor >= 11;
    }

    /**
     * Decides, before the first reference is counted, whether Py_INCREF and Py_DECREF are done in
     * Java: where the object layout is the classic one this code knows, a GIL build (the GIL
     * serialises refcounts), 3.10 to 3.13, with no reference-debug accounting.
     */
    private static void chooseRefCounting(Installation installation, int minor, long obTypeOffset) {
        hotInlineRefCounts = !installation.freeThreaded() && obTypeOffset == 8 && minor <= 13
                && SymbolLookup.loaderLookup().find("_Py_NegativeRefcount").isEmpty();
        hotImmortals = minor >= 12;
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
                if (configured != null) {
                    Installation wanted;
                    try {
                        wanted = Discovery.probe(new Discovery.Candidate("PythonConfig", configured));
                    } catch (Discovery.CandidateRejected e) {
                        throw new IllegalStateException("Python is already running in this JVM as "
                                + running.installation.describe() + "; the configured " + configured
                                + " could not be used anyway: " + e.getMessage());
                    }
                    if (!wanted.sameAs(running.installation)) {
                        throw new IllegalStateException("Python is already running in this JVM as "
                                + running.installation.describe() + "; it cannot be switched to "
                                + wanted.describe() + " (one CPython per process)");
                    }
                }
                return running;
            }
            Installation inst = Discovery.find(configured);
            Interpreter started = boot(inst);
            instance = started;
            return started;
        }
    }

    private static Interpreter boot(Installation inst) {
        String lib = inst.library().toString();
        String error = DirectCalls.dlopenGlobal(lib);
        if (error != null) {
            throw new PythonStartupException("pyjama could not load " + lib + " (" + inst.describe() + "): " + error);
        }
        try {
            System.load(lib);
        } catch (UnsatisfiedLinkError e) {
            throw new PythonStartupException("pyjama could not load " + lib + ": " + e.getMessage(), e);
        }
        String version = MemorySegment.ofAddress(WordCalls.call(WordCalls.python("Py_GetVersion")))
                .reinterpret(256).getString(0);
        int minor = parseMinor(version);
        if (!version.startsWith("3.") || minor < Discovery.MIN_MINOR) {
            throw new PythonStartupException(lib + " is Python " + version + "; pyjama needs CPython 3."
                    + Discovery.MIN_MINOR + " or newer");
        }
        Thread exitFlush = new ExitHook();
        try {
            Runtime.getRuntime().addShutdownHook(exitFlush);
        } catch (IllegalStateException shuttingDown) {
            throw new PythonStartupException("the JVM is shutting down: Python cannot be started now"
                    + " (attach before shutdown begins to use Python from a shutdown hook)");
        }
        MemorySegment isInitialized = WordCalls.python("Py_IsInitialized");
        if ((int) WordCalls.call(isInitialized) == 0) {
            if (inst.executable() != null) {
                WordCalls.call(WordCalls.python("Py_SetProgramName"), wideString(inst.executable().toString()).address());
            }
            WordCalls.call(WordCalls.python("Py_InitializeEx"), 0);
            if ((int) WordCalls.call(isInitialized) == 0) {
                throw new PythonStartupException("Py_InitializeEx failed for " + inst.describe());
            }
        } else {
            throw new PythonStartupException(lib + " is already initialised in this process by someone else;"
                    + " pyjama must start it itself");
        }
        // The starting thread holds the GIL now; set up, then release it, keeping the thread state.
        Interpreter interp;
        try {
            StackGuard.fitToStack(WordCalls.call(WordCalls.python("PyThreadState_Get")), minor);
            interp = setUp(inst, minor);
            instance = interp; // the support module below already needs the running interpreter
            try {
                SupportModule.get(); // so that Python code can `import pyjama` (JavaException) at once
            } catch (RuntimeException e) {
                // It is made again on first use; a failure here must not fail the start.
            }
        } finally {
            ThreadAttachment.current().adoptThreadState(minor);
        }
        return interp;
    }

    private static Interpreter setUp(Installation inst, int minor) {
        SymbolLookup lookup = SymbolLookup.loaderLookup();
        long none = symbol(lookup, "_Py_NoneStruct");
        long trueObj = symbol(lookup, "_Py_TrueStruct");
        long falseObj = symbol(lookup, "_Py_FalseStruct");
        Map<String, Long> types = new HashMap<>();
        for (String name : new String[] {"PyLong_Type", "PyFloat_Type", "PyUnicode_Type", "PyBytes_Type",
                "PyByteArray_Type", "PyList_Type", "PyTuple_Type", "PyDict_Type", "PySet_Type", "PyFrozenSet_Type",
                "PyBool_Type", "PyModule_Type", "PyType_Type", "PySlice_Type", "PyComplex_Type", "PyBaseObject_Type"}) {
            types.put(name, symbol(lookup, name));
        }
        long offset = probeTypeOffset(trueObj, types.get("PyBool_Type"), types.get("PyLong_Type"), types.get("PyType_Type"));
        chooseRefCounting(inst, minor, offset);
        long builtins;
        long mainDict;
        try (Arena arena = Arena.ofConfined()) {
            builtins = CApi.newImportModule("builtins");
            long main = CApi.checkNew(WordCalls.call(WordCalls.python("PyImport_AddModule"),
                    arena.allocateFrom("__main__").address()));
            mainDict = CApi.checkNew(WordCalls.call(WordCalls.python("PyModule_GetDict"), main));
            CApi.incRef(mainDict); // OWNERSHIP: borrowed from __main__, kept for the interpreter's life
        }
        return new Interpreter(inst, minor, offset, none, trueObj, falseObj, mainDict, builtins, Map.copyOf(types));
    }

    /** The built-in exception classes of {@code builtins}, by type address. The caller holds the GIL. */
    private Map<Long, String> scanBuiltinExceptions() {
        Map<Long, String> exceptions = new HashMap<>();
        long baseException = CApi.checkNew(LibPython.PyExc_BaseException());
        long dict = CApi.checkNew(LibPython.PyModule_GetDict(CApi.p(this.builtins)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pos = arena.allocate(JAVA_LONG);
            MemorySegment key = arena.allocate(ADDRESS);
            MemorySegment value = arena.allocate(ADDRESS);
            long typeType = types.get("PyType_Type");
            while (LibPython.PyDict_Next(CApi.p(dict), pos, key, value) != 0) {
                long v = value.get(JAVA_LONG, 0);
                long k = key.get(JAVA_LONG, 0);
                // OWNERSHIP: key and value are borrowed from builtins' dict, which lives as long as we do.
                if (LibPython.PyObject_IsInstance(CApi.p(v), CApi.p(typeType)) == 1
                        && LibPython.PyObject_IsSubclass(CApi.p(v), CApi.p(baseException)) == 1) {
                    exceptions.putIfAbsent(v, Strings.toJava(k));
                }
            }
        }
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

    /**
     * Finds where {@code ob_type} sits in an object header for this build (8 on GIL builds, 24 on
     * free-threaded ones) by looking for the known type of two known objects, rather than trusting a
     * layout table.
     */
    private static long probeTypeOffset(long trueObj, long boolType, long longType, long typeType) {
        // Read from the headers of objects whose types are known by address (True is a bool, the
        // static type int is a type), so the probe needs no call and no reference count.
        MemorySegment t = MemorySegment.ofAddress(trueObj).reinterpret(64);
        MemorySegment i = MemorySegment.ofAddress(longType).reinterpret(64);
        for (long off = 8; off <= 48; off += 8) {
            if (t.get(JAVA_LONG, off) == boolType && i.get(JAVA_LONG, off) == typeType) {
                return off;
            }
        }
        throw new PythonStartupException("cannot locate ob_type in this CPython's object header");
    }

    private static long symbol(SymbolLookup lookup, String name) {
        Optional<MemorySegment> symbol = lookup.find(name); // no orElseThrow(Supplier): a lambda class at start
        if (symbol.isEmpty()) {
            throw new PythonStartupException("libpython does not export " + name);
        }
        return symbol.get().address();
    }

    private static int parseMinor(String version) {
        int dot = version.indexOf('.');
        int end = dot + 1;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(version.substring(dot + 1, end));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A NUL-terminated wchar_t string (UTF-32 on Linux and macOS) that lives as long as the process. */
    private static MemorySegment wideString(String s) {
        byte[] bytes = s.getBytes(Charset.forName("UTF-32LE"));
        MemorySegment m = Arena.global().allocate(bytes.length + 4L, 4);
        MemorySegment.copy(bytes, 0, m, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        m.set(JAVA_INT, bytes.length, 0);
        return m;
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
     * buffered output is not lost. A subclass rather than a method reference: no lambda class to
     * spin at start-up.
     */
    private static final class ExitHook extends Thread {
        ExitHook() {
            super("pyjama-exit");
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
            } finally {
                scope.close();
            }
        }
    }

    // --- accessors for the runtime (the interpreter is running when these are called) ---

    static int minor() {
        return instance.minor;
    }

    static long obTypeOffset() {
        return hotObTypeOffset;
    }

    /** The size of the object header ({@code PyObject_HEAD}): where an object's own fields start. */
    static long headerSize() {
        return hotObTypeOffset + 8;
    }

    static long none() {
        return hotNone;
    }

    static long trueObj() {
        return hotTrue;
    }

    static long falseObj() {
        return hotFalse;
    }

    static long mainDict() {
        return instance.mainDict;
    }

    static long builtinsModule() {
        return instance.builtins;
    }

    static long floatType() {
        return hotFloatType;
    }

    static long type(String symbol) {
        return instance.types.get(symbol);
    }

    /** Whether this is a free-threaded build (no GIL: Py_GIL_DISABLED), from sysconfig at discovery. */
    static boolean freeThreaded() {
        return instance.installation.freeThreaded();
    }

    /** Whether {@link CApi#incRef} and {@link CApi#decRef} may count in Java (a release that may free still calls C). */
    static boolean inlineRefCounts() {
        return hotInlineRefCounts;
    }

    /** Whether objects may be immortal (3.12+: refcount's low 32 bits negative, never changed). */
    static boolean immortals() {
        return hotImmortals;
    }

    /** {@code str}'s type object, for exact-type checks without a downcall. */
    static long strType() {
        return hotStrType;
    }

    /** {@code int}'s type object, for exact-type checks without a downcall. */
    static long longType() {
        return hotLongType;
    }

    static boolean hasVectorcall() {
        return hotVectorcall;
    }

    static long generation() {
        return generation;
    }

    /** The generation of the running interpreter (for caches that must not outlive it). */
    public static long generationOfRunning() {
        return generation;
    }

    /** The built-in exception name of {@code type}, or null when it is not a built-in exception class. */
    static String builtinExceptionName(long type) {
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
