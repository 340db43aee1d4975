package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Python module {@code pyjama}, defined by pyjama at first use and registered in
 * {@code sys.modules}: the Python side of Java interop ({@code JavaException}, and the small
 * adapters that give Java functions a signature and make Java iterators iterable).
 */
public final class SupportModule {

    private static final String BODY = String.join("\n",
            "\"\"\"Python side of pyjama, the CPython embedding for the JVM.\"\"\"",
            "",
            "class JavaException(Exception):",
            "    \"\"\"An exception thrown by Java code that Python called through pyjama.",
            "",
            "    java_class is the Java exception's class name, java_stack its stack trace.",
            "    When it propagates back to Java, Java receives the original Java exception.\"\"\"",
            "    def __init__(self, message, java_class=None, java_stack=None):",
            "        super().__init__(message)",
            "        self.java_class = java_class",
            "        self.java_stack = java_stack",
            "",
            "def _with_signature(name, signature, doc, impl):",
            "    \"\"\"A Python function with the given signature that passes its parameters, in order, to impl.\"\"\"",
            "    fn = _signature_factory(name, signature)(impl)",
            "    fn.__doc__ = doc",
            "    fn.__module__ = 'java'",
            "    fn.__qualname__ = name",
            "    return fn",
            "",
            "# The wrapper is a nested function that a factory, compiled once per signature, makes around impl.",
            "# A free-threaded CPython counts the references of top-level functions and code objects in the",
            "# deferred way (freed only at a garbage collection), and 3.13 makes them immortal once a second",
            "# thread exists: a wrapper made by exec itself would keep impl, and the Java body, for ever.",
            "# A nested function is counted the ordinary way (Objects/funcobject.c, CO_NESTED).",
            "_signature_factories = {}",
            "",
            "def _signature_factory(name, signature):",
            "    key = (name, signature)",
            "    factory = _signature_factories.get(key)",
            "    if factory is None:",
            "        probe = {}",
            "        exec('def %s(%s): pass' % (name, signature), probe)",
            "        import inspect  # here, not at the top: importing inspect costs start-up some 10 ms",
            "        params = list(inspect.signature(probe[name]).parameters)",
            "        namespace = {}",
            "        exec('def _factory(_impl):\\n    def %s(%s):\\n        return _impl(%s)\\n    return %s\\n'",
            "             % (name, signature, ', '.join(params), name), namespace)",
            "        factory = namespace['_factory']",
            "        if len(_signature_factories) >= 256:",
            "            _signature_factories.clear()",
            "        _signature_factories[key] = factory",
            "    return factory",
            "",
            "class _JavaName(str):",
            "    \"\"\"The __module__ of a Java function on a free-threaded build: 'java', carrying what releases the Java body.\"\"\"",
            "",
            "class _JavaIterator:",
            "    \"\"\"A Java Iterator seen from Python.\"\"\"",
            "    __slots__ = ('_next',)",
            "    def __init__(self, next):",
            "        self._next = next",
            "    def __iter__(self):",
            "        return self",
            "    def __next__(self):",
            "        return self._next()",
            "",
            "import io as _io",
            "",
            "class _JavaStream(_io.TextIOBase):",
            "    \"\"\"sys.stdout / sys.stderr writing to Java's System.out / System.err, in order with Java's own output.\"\"\"",
            "    def __init__(self, write, flush, name):",
            "        self._write = write",
            "        self._flush = flush",
            "        self._name = name",
            "    @property",
            "    def name(self):",
            "        return self._name",
            "    @property",
            "    def encoding(self):",
            "        return 'utf-8'",
            "    @property",
            "    def errors(self):",
            "        return 'surrogatepass'",
            "    def writable(self):",
            "        return True",
            "    def isatty(self):",
            "        return False",
            "    def write(self, s):",
            "        if not isinstance(s, str):",
            "            raise TypeError('write() argument must be str, not %s' % type(s).__name__)",
            "        if s:",
            "            self._write(s)",
            "        return len(s)",
            "    def flush(self):",
            "        self._flush()",
            "",
            "def _console(argv, banner):",
            "    \"\"\"The embedded console: python's own command line, run inside the JVM. Returns the exit status.\"\"\"",
            "    import sys, os, runpy, traceback, __main__",
            "    def status(e):",
            "        if e.code is None:",
            "            return 0",
            "        if isinstance(e.code, int):",
            "            return e.code",
            "        print(e.code, file=sys.stderr)",
            "        return 1",
            "    try:",
            "        if argv and argv[0] == '-c':",
            "            if len(argv) < 2:",
            "                print('Argument expected for the -c option', file=sys.stderr)",
            "                return 2",
            "            sys.argv = ['-c'] + argv[2:]",
            "            sys.path.insert(0, '')",
            "            exec(compile(argv[1], '<string>', 'exec'), __main__.__dict__)",
            "        elif argv and argv[0] == '-m':",
            "            if len(argv) < 2:",
            "                print('Argument expected for the -m option', file=sys.stderr)",
            "                return 2",
            "            sys.argv = [argv[1]] + argv[2:]",
            "            sys.path.insert(0, os.getcwd())",
            "            runpy.run_module(argv[1], run_name='__main__', alter_sys=True)",
            "        elif argv and argv[0] != '-':",
            "            sys.argv = list(argv)",
            "            sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))",
            "            runpy.run_path(argv[0], run_name='__main__')",
            "        else:",
            "            import code",
            "            sys.argv = ['']",
            "            sys.path.insert(0, '')",
            "            if sys.stdin.isatty():",
            "                try:",
            "                    import readline, rlcompleter",
            "                    readline.set_completer(rlcompleter.Completer(__main__.__dict__).complete)",
            "                    readline.parse_and_bind('tab: complete')",
            "                except ImportError:",
            "                    pass",
            "            try:",
            "                code.interact(banner=banner, local=__main__.__dict__, exitmsg='')",
            "            except SystemExit as e:",
            "                return status(e)",
            "        return 0",
            "    except SystemExit as e:",
            "        return status(e)",
            "    except BaseException:",
            "        traceback.print_exc()",
            "        return 1",
            "    finally:",
            "        for f in (sys.stdout, sys.stderr):",
            "            try:",
            "                f.flush()",
            "            except Exception:",
            "                pass",
            "",
            "class _JavaIterable:",
            "    \"\"\"A Java Iterable seen from Python: each iter() asks Java for a new Iterator.\"\"\"",
            "    __slots__ = ('_iterator',)",
            "    def __init__(self, iterator):",
            "        self._iterator = iterator",
            "    def __iter__(self):",
            "        return self._iterator()",
            "");

    /**
     * The module's source, ending with its identity: a copy of pyjama in another class loader
     * (Copies) that joins the interpreter adopts a module with the same identity instead of
     * replacing it, so that {@code pyjama.JavaException} is one class for every copy.
     */
    private static final String SOURCE = BODY + "\n__pyjama_support__ = '" + Integer.toHexString(BODY.hashCode()) + "'\n";

    private static final String IDENTITY = Integer.toHexString(BODY.hashCode());

    /** The module (an owned reference, kept for the interpreter's life), 0 before first use. */
    private static final AtomicLong MODULE = new AtomicLong();

    private SupportModule() {}

    /**
     * The module (borrowed; kept for the interpreter's life). The caller holds the GIL (is
     * attached).
     *
     * <p>Made without a lock: executing its source runs Python code, which may hand the GIL to
     * another thread (or, free-threaded, run beside one) that makes it too; a Java lock held across
     * that would deadlock with the GIL. The first module published wins; a thread that made a
     * second one puts the winner back into {@code sys.modules} and drops its own, so that every
     * class pyjama takes from the module ({@code JavaException} above all) is the same object.
     */
    public static long get() {
        long m = MODULE.get();
        if (m != 0) {
            return m;
        }
        if (Copies.isJoined()) {
            long shared = sharedByAnotherCopy();
            if (shared != 0) {
                if (MODULE.compareAndSet(0, shared)) {
                    return shared;
                }
                CApi.decRef(shared);
                return MODULE.get();
            }
        }
        long code = CApi.newCompile(SOURCE, "<pyjama>", CApi.FILE_INPUT);
        try {
            m = CApi.newExecCodeModule("pyjama", code, "<pyjama>");
        } finally {
            CApi.decRef(code);
        }
        if (MODULE.compareAndSet(0, m)) {
            return m;
        }
        long winner = MODULE.get();
        long sys = CApi.newImportModule("sys");
        try {
            long modules = CApi.newGetAttr(sys, Names.get("modules"));
            try {
                CApi.setItem(modules, Names.get("pyjama"), winner);
            } finally {
                CApi.decRef(modules);
            }
        } finally {
            CApi.decRef(sys);
            CApi.decRef(m);
        }
        return winner;
    }

    /** {@code sys.modules['pyjama']} if another copy made it from the same source (a new reference), else 0. */
    private static long sharedByAnotherCopy() {
        long sys = CApi.newImportModule("sys");
        try {
            long modules = CApi.newGetAttr(sys, Names.get("modules"));
            try {
                long m = CApi.newGetItem(modules, Names.get("pyjama"));
                boolean same = false;
                try {
                    long id = CApi.newGetAttrOrZero(m, Names.get("__pyjama_support__"));
                    if (id != 0) {
                        try {
                            same = CApi.isInstance(id, Abi.strType()) && IDENTITY.equals(Strings.toJava(id));
                        } finally {
                            CApi.decRef(id);
                        }
                    }
                } finally {
                    if (!same) {
                        CApi.decRef(m);
                    }
                }
                return same ? m : 0;
            } finally {
                CApi.decRef(modules);
            }
        } catch (RuntimeException notThere) {
            return 0; // made by no copy yet, or something else: this copy makes its own
        } finally {
            CApi.decRef(sys);
        }
    }

    /** {@code pyjama.<name>}: a new reference. */
    public static long newAttr(String name) {
        return CApi.newGetAttr(get(), Names.get(name));
    }
}
