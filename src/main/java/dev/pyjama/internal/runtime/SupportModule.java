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
            "# --- Java objects in Python (the Java side is pyjama's Java object bridge) ---",
            "# _jcall(op, ref, *args) is one Java function, set by the Java side when this module is made; ref is",
            "# a capsule holding the Java object, which Python code can neither make nor open. Every check of",
            "# the host access policy is made in Java, on each call: nothing here grants anything.",
            "",
            "import functools as _functools",
            "import collections.abc as _abc",
            "",
            "_jcall = None  # made by Java on first need (not at start: the start path stays short)",
            "",
            "def _wrap(cls, ref):",
            "    o = object.__new__(cls)",
            "    object.__setattr__(o, '_pyjama_ref', ref)",
            "    return o",
            "",
            "class JavaObject:",
            "    \"\"\"A Java object handed to Python by pyjama: its public methods and fields (as the application's",
            "    host access policy allows), and Java's protocols where it has them: len, [], in, iteration,",
            "    str, ==, hash, with (AutoCloseable), calls (functional interfaces), comparisons (Comparable).\"\"\"",
            "    __slots__ = ('_pyjama_ref', '__dict__', '__weakref__')",
            "    def __new__(cls, *args, **kwargs):",
            "        raise TypeError('Java objects come from Java, or from pyjama.java.java_class')",
            "    def __getattr__(self, name):",
            "        if name[:2] == '__' or name == '_pyjama_ref':",
            "            raise AttributeError(name)",
            "        ref = self._pyjama_ref",
            "        is_method, value = _jcall(0, ref, name)",
            "        if is_method:",
            "            # A Java class's methods never change: the next lookup finds this without Java.",
            "            value = _functools.partial(_jcall, 1, ref, value)  # value: the method's id, which Java checks",
            "            object.__setattr__(self, name, value)",
            "        return value",
            "    def __setattr__(self, name, value):",
            "        _jcall(2, self._pyjama_ref, name, value)",
            "    def __delattr__(self, name):",
            "        raise AttributeError('cannot delete attributes of a Java object')",
            "    def __dir__(self):",
            "        return _jcall(19, self._pyjama_ref)",
            "    def __str__(self):",
            "        return _jcall(3, self._pyjama_ref)",
            "    def __repr__(self):",
            "        return _jcall(4, self._pyjama_ref)",
            "    def __eq__(self, other):",
            "        return _jcall(5, self._pyjama_ref, other)",
            "    def __ne__(self, other):",
            "        return not _jcall(5, self._pyjama_ref, other)",
            "    def __hash__(self):",
            "        return _jcall(6, self._pyjama_ref)",
            "    def __len__(self):",
            "        return _jcall(7, self._pyjama_ref)",
            "    def __getitem__(self, key):",
            "        return _jcall(8, self._pyjama_ref, key)",
            "    def __setitem__(self, key, value):",
            "        _jcall(9, self._pyjama_ref, key, value)",
            "    def __delitem__(self, key):",
            "        _jcall(10, self._pyjama_ref, key)",
            "    def __contains__(self, value):",
            "        return _jcall(11, self._pyjama_ref, value)",
            "    def __iter__(self):",
            "        it = _jcall(12, self._pyjama_ref)",
            "        return self if it is None else it",
            "    def __next__(self):",
            "        return _jcall(13, self._pyjama_ref)",
            "    def __bool__(self):",
            "        return _jcall(14, self._pyjama_ref)",
            "    def __call__(self, *args):",
            "        return _jcall(15, self._pyjama_ref, *args)",
            "    def __enter__(self):",
            "        _jcall(16, self._pyjama_ref)",
            "        return self",
            "    def __exit__(self, *exc):",
            "        _jcall(17, self._pyjama_ref)",
            "        return False",
            "    def __lt__(self, other):",
            "        return _jcall(18, self._pyjama_ref, other) < 0",
            "    def __le__(self, other):",
            "        return _jcall(18, self._pyjama_ref, other) <= 0",
            "    def __gt__(self, other):",
            "        return _jcall(18, self._pyjama_ref, other) > 0",
            "    def __ge__(self, other):",
            "        return _jcall(18, self._pyjama_ref, other) >= 0",
            "",
            "class JavaList(JavaObject, _abc.MutableSequence):",
            "    \"\"\"A live view of a Java List (pyjama's py.view): reads and writes go to the Java list.\"\"\"",
            "    __slots__ = ()",
            "    def __getitem__(self, key):",
            "        if isinstance(key, slice):",
            "            return [_jcall(8, self._pyjama_ref, i) for i in range(*key.indices(len(self)))]",
            "        return _jcall(8, self._pyjama_ref, key)",
            "    def insert(self, index, value):",
            "        _jcall(22, self._pyjama_ref, index, value)",
            "",
            "class JavaMap(JavaObject, _abc.MutableMapping):",
            "    \"\"\"A live view of a Java Map (pyjama's py.view): reads and writes go to the Java map.\"\"\"",
            "    __slots__ = ()",
            "",
            "class JavaClass:",
            "    \"\"\"A Java class the application's host access policy allows: call it to construct an instance;",
            "    its static methods and fields are its attributes.\"\"\"",
            "    __slots__ = ('_pyjama_ref', '__weakref__')",
            "    def __new__(cls, *args, **kwargs):",
            "        raise TypeError('Java classes come from pyjama.java.java_class')",
            "    def __getattr__(self, name):",
            "        if name[:2] == '__' or name == '_pyjama_ref':",
            "            raise AttributeError(name)",
            "        ref = self._pyjama_ref",
            "        is_method, value = _jcall(0, ref, name)",
            "        if is_method:",
            "            return _functools.partial(_jcall, 1, ref, name)",
            "        return value",
            "    def __setattr__(self, name, value):",
            "        _jcall(2, self._pyjama_ref, name, value)",
            "    def __delattr__(self, name):",
            "        raise AttributeError('cannot delete attributes of a Java class')",
            "    def __dir__(self):",
            "        return _jcall(19, self._pyjama_ref)",
            "    def __call__(self, *args):",
            "        return _jcall(21, self._pyjama_ref, *args)",
            "    def __repr__(self):",
            "        return _jcall(4, self._pyjama_ref)",
            "",
            "# --- asyncio both ways (the Java side: EventLoop, Awaitables, JavaFutures) ---",
            "# Nothing here imports asyncio or threading until Java first asks: the start path stays short.",
            "",
            "import _thread",
            "",
            "_loop = None  # pyjama's own event loop, run by the Java platform thread \"pyjama-asyncio\"",
            "_loop_lock = _thread.allocate_lock()",
            "# Awaitables started for Java, by the Java side's key: [loop, future or None, cancel asked, done].",
            "_tasks = {}",
            "",
            "def _own_loop():",
            "    \"\"\"pyjama's event loop, made on first need: (loop, True) when this call made it (Java then starts its thread).\"\"\"",
            "    global _loop",
            "    with _loop_lock:",
            "        if _loop is not None and not _loop.is_closed():",
            "            return _loop, False",
            "        import asyncio",
            "        _loop = asyncio.new_event_loop()",
            "        return _loop, True",
            "",
            "def _run_loop(loop):",
            "    \"\"\"Runs pyjama's loop on the calling Java thread until _stop_loop; then cancels the tasks left,",
            "    gives them a moment to end, and closes the loop. Every Java future still waiting is cancelled.\"\"\"",
            "    import asyncio",
            "    try:",
            "        loop.run_forever()",
            "    finally:",
            "        try:",
            "            left = [t for t in asyncio.all_tasks(loop) if not t.done()]",
            "            for t in left:",
            "                t.cancel()",
            "            if left:",
            "                loop.run_until_complete(asyncio.wait(left, timeout=1.0))",
            "            loop.run_until_complete(loop.shutdown_asyncgens())",
            "        finally:",
            "            for key, entry in list(_tasks.items()):",
            "                if entry[0] is loop and _tasks.pop(key, None) is not None:",
            "                    entry[3](key, 0, None)",
            "            loop.close()",
            "",
            "def _stop_loop():",
            "    \"\"\"Asks pyjama's loop to stop (from any thread); False when there is none running.\"\"\"",
            "    loop = _loop",
            "    if loop is None or loop.is_closed():",
            "        return False",
            "    try:",
            "        loop.call_soon_threadsafe(loop.stop)",
            "    except RuntimeError:",
            "        return False",
            "    return True",
            "",
            "def _submit(aw, key, done):",
            "    \"\"\"Starts awaitable aw for Java: on the calling thread's running loop when it has one (Python",
            "    called the Java code that asks), else on pyjama's loop. done(key, status, value) runs on the",
            "    loop's thread when it ends: status 1 with the result, 2 with the exception, 0 cancelled.",
            "    Returns 2 when it runs on the calling thread's loop, 1 when this call made pyjama's loop, else 0.\"\"\"",
            "    import asyncio",
            "    if not (asyncio.iscoroutine(aw) or asyncio.isfuture(aw) or hasattr(aw, '__await__')):",
            "        raise TypeError('%s object is not awaitable' % type(aw).__name__)",
            "    running = asyncio._get_running_loop()",
            "    if running is not None:",
            "        entry = [running, None, False, done]",
            "        _tasks[key] = entry",
            "        _start(aw, key, entry)",
            "        return 2",
            "    loop, made = _own_loop()",
            "    entry = [loop, None, False, done]",
            "    _tasks[key] = entry",
            "    loop.call_soon_threadsafe(_start, aw, key, entry)",
            "    return 1 if made else 0",
            "",
            "def _start(aw, key, entry):",
            "    import asyncio",
            "    if entry[2]:  # cancelled before it started",
            "        _tasks.pop(key, None)",
            "        if asyncio.iscoroutine(aw):",
            "            aw.close()  # never started: no \"coroutine was never awaited\" warning",
            "        entry[3](key, 0, None)",
            "        return",
            "    try:",
            "        fut = asyncio.ensure_future(aw, loop=entry[0])",
            "    except BaseException as e:",
            "        _tasks.pop(key, None)",
            "        entry[3](key, 2, e)",
            "        return",
            "    entry[1] = fut",
            "    fut.add_done_callback(_functools.partial(_finish, key, entry))",
            "",
            "def _finish(key, entry, fut):",
            "    _tasks.pop(key, None)",
            "    if fut.cancelled():",
            "        entry[3](key, 0, None)",
            "        return",
            "    e = fut.exception()",
            "    if e is None:",
            "        entry[3](key, 1, fut.result())",
            "    else:",
            "        entry[3](key, 2, e)",
            "",
            "def _cancel(key):",
            "    \"\"\"Cancels what _submit started under key (from any thread); nothing when it has ended.\"\"\"",
            "    entry = _tasks.get(key)",
            "    if entry is not None:",
            "        try:",
            "            entry[0].call_soon_threadsafe(_cancel_now, entry)",
            "        except RuntimeError:",
            "            pass  # its loop is closed: the Java side was told already",
            "",
            "def _cancel_now(entry):",
            "    entry[2] = True",
            "    if entry[1] is not None:",
            "        entry[1].cancel()",
            "",
            "async def _anext(agen):",
            "    \"\"\"The next item of an async generator (StopAsyncIteration at its end), for Java's blocking iterator.\"\"\"",
            "    return await agen.__anext__()",
            "",
            "class JavaFuture:",
            "    \"\"\"A Java CompletionStage (a CompletableFuture...) handed to Python by pyjama: await it in a",
            "    coroutine on any asyncio loop. The result converts as Java values do; a Java exception is raised",
            "    as it would be by a Java function; cancel() (or cancelling the awaiting task) cancels the Java future.\"\"\"",
            "    __slots__ = ('_jf', '__weakref__')",
            "    def __new__(cls, *args, **kwargs):",
            "        raise TypeError('Java futures come from Java')",
            "    def __await__(self):",
            "        import asyncio",
            "        loop = asyncio.get_running_loop()",
            "        fut = loop.create_future()",
            "        jf = self._jf",
            "        def wake(cancelled):",
            "            # Called by Java on the thread that completed the Java future.",
            "            try:",
            "                loop.call_soon_threadsafe(_settle, fut, cancelled, jf)",
            "            except RuntimeError:",
            "                pass  # that loop is closed: nobody waits any more",
            "        jf(0, wake)",
            "        fut.add_done_callback(_functools.partial(_cancel_java, jf))",
            "        return fut.__await__()",
            "    def cancel(self):",
            "        \"\"\"Cancels the Java future; True when this cancelled it.\"\"\"",
            "        return self._jf(2, None)",
            "    def done(self):",
            "        \"\"\"Whether the Java future has completed (normally, exceptionally or by cancellation).\"\"\"",
            "        return self._jf(3, None)",
            "    def __repr__(self):",
            "        return '<JavaFuture %s>' % ('done' if self.done() else 'pending')",
            "",
            "def _settle(fut, cancelled, jf):",
            "    if fut.done():",
            "        return",
            "    if cancelled:",
            "        fut.cancel()",
            "        return",
            "    try:",
            "        value = jf(1, None)",
            "    except BaseException as e:",
            "        fut.set_exception(e)",
            "    else:",
            "        fut.set_result(value)",
            "",
            "def _cancel_java(jf, fut):",
            "    if fut.cancelled():",
            "        jf(2, None)",
            "",
            "def _java_future(jf):",
            "    o = object.__new__(JavaFuture)",
            "    o._jf = jf",
            "    return o",
            "",
            "def _java_module():",
            "    import sys, types",
            "    m = types.ModuleType('pyjama.java', 'Java classes by name, as far as the host access policy allows.')",
            "    def java_class(name):",
            "        \"\"\"The Java class with this binary name ('java.util.ArrayList') if the application allows it,",
            "        else PermissionError: call it to construct, use its static methods and fields as attributes.\"\"\"",
            "        if _jcall is None:",
            "            raise PermissionError('pyjama allows no Java class by name here: the application sets its host access '",
            "                                  'policy with Python.initialize(PythonConfig...withHostAccess(...))')",
            "        return _jcall(20, None, name)",
            "    m.java_class = java_class",
            "    m.JavaObject = JavaObject",
            "    m.JavaClass = JavaClass",
            "    sys.modules['pyjama.java'] = m",
            "    return m",
            "",
            "java = _java_module()",
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
                long java = CApi.newGetAttr(winner, Names.get("java"));
                try {
                    CApi.setItem(modules, Names.get("pyjama.java"), java);
                } finally {
                    CApi.decRef(java);
                }
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
