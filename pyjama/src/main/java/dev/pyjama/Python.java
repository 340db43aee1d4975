package dev.pyjama;

import dev.pyjama.internal.PythonErrors;
import dev.pyjama.internal.bridge.JavaObjects;

import dev.pyjama.internal.abi.Buffers;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.CriticalSections;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Installation;
import dev.pyjama.internal.runtime.Interpreter;
import dev.pyjama.internal.OutputRedirect;
import dev.pyjama.internal.runtime.Scope;
import dev.pyjama.internal.runtime.SupportModule;
import dev.pyjama.exceptions.PyStopIteration;
import dev.pyjama.internal.runtime.VirtualThreads;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Proof that the current thread is attached to CPython (holds the GIL on GIL builds), and the
 * scope that owns the Python objects obtained through it (PyO3's {@code Python<'py>}).
 *
 * <p>Get one with {@link #attach(Function)} or, as a try-with-resources scope, {@link #attach()}.
 * The first attach in the JVM finds and starts CPython. Scopes nest: attaching again on an attached
 * thread, or {@link #scope(Function)}, opens an inner scope whose temporaries are released when it
 * closes, which keeps a long loop's memory flat. Closing the outermost scope releases the GIL.
 *
 * <p>A {@code Python} is confined to its thread: using it, or any object bound to it, from another
 * thread throws {@link WrongThreadException}; after it is closed, {@link IllegalStateException}.
 *
 * {@snippet :
 * long sum = Python.attach(py -> py.eval("sum(range(10))").toJava(long.class)); // 45
 * }
 */
public final class Python implements AutoCloseable {

    static {
        // Before any start: a failed C call's Python error becomes the public exception classes.
        PythonErrors.install();
        JavaFunctions.install(); // how a Java exception escaping any Java function becomes a Python one
    }

    private final Scope scope;
    /** False for a token lent to a converter: it uses a scope someone else closes. */
    private final boolean owning;
    /**
     * The critical sections this thread had open when the scope was opened (always 0 on a GIL
     * build): closing the scope while more are open would leave CPython holding a section whose
     * memory is gone, so {@link #close()} refuses.
     */
    private final int sectionsAtOpen;

    private Python(Scope scope, boolean owning) {
        this.scope = scope;
        this.owning = owning;
        this.sectionsAtOpen = owning ? CriticalSections.openOnThisThread() : 0;
    }

    private Python(Scope scope) {
        this(scope, true);
    }

    /** A token for an already open scope, whose close() leaves that scope open. */
    static Python borrowing(Scope scope) {
        return new Python(scope, false);
    }

    /**
     * Attaches the calling thread, runs {@code body}, then releases the objects created in the scope
     * and detaches (releases the GIL), also when {@code body} throws.
     *
     * <p>On a virtual thread the body runs on a pyjama platform thread while the virtual thread
     * waits, so that the scope never moves between carrier threads; so it does on a thread whose
     * stack is smaller than CPython needs (under 1000 KiB), where an overflow would end the JVM.
     * Those platform threads are an elastic set: {@code max(8, 4 * cpus)} of them run bodies at
     * once, more while the running ones are blocked with the GIL released (a {@code time.sleep},
     * a socket read, a detached block) rather than using the CPU, up to the system property
     * {@code pyjama.virtualThreads.maxCarriers} (default {@code max(256, 4 * cpus)}); one idle for
     * {@code pyjama.virtualThreads.keepAliveMillis} (default 30,000) frees its CPython thread
     * state and ends.
     *
     * @param <T> the result type
     * @param body the code to run while attached
     * @return what {@code body} returns (a handle bound to this scope is closed by then; return Java
     *     values or {@link Py} references)
     * @throws dev.pyjama.exceptions.PythonStartupException if CPython cannot be found or started
     */
    public static <T> T attach(Function<Python, ? extends T> body) {
        Objects.requireNonNull(body, "body");
        Scope scope = Scope.openHereOrNull();
        if (scope == null) {
            return VirtualThreads.runOnPlatformThread(() -> attach(body));
        }
        try (Python py = new Python(scope)) {
            return body.apply(py);
        }
    }

    /**
     * Attaches the calling thread and opens a scope, for try-with-resources:
     * {@code try (var py = Python.attach()) { ... }}. On an attached thread this opens a nested
     * scope.
     *
     * @return the token, which must be closed on this thread
     * @throws dev.pyjama.exceptions.PythonStartupException if CPython cannot be found or started
     * @throws UnsupportedOperationException on a virtual thread that is not attached yet (use
     *     {@link #attach(Function)})
     * @throws IllegalStateException on a thread whose stack is too small for CPython (use
     *     {@link #attach(Function)}, or a larger stack)
     */
    public static Python attach() {
        return new Python(Scope.open());
    }

    /**
     * Starts CPython from {@code config} now, instead of by discovery on the first attach, and puts
     * its {@link HostAccess host access policy} in force. Calling it again with the same
     * interpreter (or with {@link PythonConfig#discover()}) only puts the policy in force, for every
     * Python operation on a Java object from then on.
     *
     * @param config which interpreter to start
     * @throws IllegalStateException if a different interpreter is already running in this JVM
     * @throws dev.pyjama.exceptions.PythonStartupException if it cannot be loaded or started
     */
    public static void initialize(PythonConfig config) {
        Objects.requireNonNull(config, "config");
        Interpreter.start(config.python());
        // Java decides every access at the moment it happens: a new policy holds from the next one.
        JavaObjects.setPolicy(config.hostAccess());
        attach(py -> {
            JavaObjects.ensureInstalled(); // so that Python's java_class can ask for allowed classes
            return null;
        });
    }

    /**
     * Which CPython this JVM runs (starting it by discovery if it has not started yet). Read anew on
     * each call, while attached: whether the GIL is on can change while the process runs.
     *
     * @return the interpreter's version, build, whether the GIL is on, location and environment
     * @throws dev.pyjama.exceptions.PythonStartupException if CPython cannot be found or started
     */
    public static PythonInfo info() {
        Interpreter interpreter = Interpreter.get();
        Installation inst = interpreter.installation();
        return attach(py -> {
            PyModule sys = py.importModule("sys");
            String version = py.eval("'%d.%d.%d' % __import__('sys').version_info[:3]").toJava(String.class);
            boolean gil = !sys.hasAttr("_is_gil_enabled") || sys.callMethod("_is_gil_enabled").toJava(boolean.class);
            String executable = sys.getAttr("executable").str();
            return new PythonInfo(version,
                    executable.isEmpty() ? Optional.ofNullable(inst.executable()) : Optional.of(Path.of(executable)),
                    inst.library(), sys.getAttr("prefix").str(), sys.getAttr("base_prefix").str(), inst.freeThreaded(),
                    gil, inst.source(), interpreter.profile().describe());
        });
    }

    /**
     * Sends Python's {@code sys.stdout} and {@code sys.stderr} to Java's {@code System.out} and
     * {@code System.err} (on), or back to where they were (off). With it on, {@code print()} in
     * Python shows up wherever Java's output goes (jshell, an IDE console, a redirected
     * {@code System.out}), in order with Java's own output and flushed as written, so nothing is
     * lost at exit. Off by default: Python then writes to file descriptors 1 and 2 itself.
     *
     * @param on whether to redirect
     */
    public static void redirectOutput(boolean on) {
        attach(py -> {
            long[] writers = new long[4];
            if (on) {
                java.io.PrintStream[] targets = {System.out, System.err};
                for (int i = 0; i < 2; i++) {
                    java.io.PrintStream target = targets[i];
                    PyCallable write = py.function("write", (PyObject text) -> {
                        target.print(text.toJava(String.class));
                        return null;
                    });
                    PyCallable flush = py.function("flush", () -> {
                        target.flush();
                        return null;
                    });
                    writers[2 * i] = CApi.newRef(write.ptr());
                    writers[2 * i + 1] = CApi.newRef(flush.ptr());
                }
            }
            OutputRedirect.apply(on, writers);
            return null;
        });
    }

    /** The scope after checking it is usable here and now. */
    Scope usableScope() {
        scope.check();
        return scope;
    }

    /**
     * Runs {@code body} in a nested scope: objects created in it are released when it returns.
     *
     * @param <T> the result type
     * @param body the code to run
     * @return what {@code body} returns
     */
    public <T> T scope(Function<Python, ? extends T> body) {
        usableScope();
        try (Python inner = new Python(Scope.open())) {
            return body.apply(inner);
        }
    }

    /**
     * Closes the scope: releases the objects created in it and, for the outermost scope, the GIL.
     * Idempotent.
     *
     * @throws WrongThreadException if called from another thread
     * @throws IllegalStateException if called inside a {@link #criticalSection(PyObject, Supplier)}
     *     begun in this scope or in one inside it (the scope closes when that section has ended)
     */
    @Override
    public void close() {
        if (owning) {
            if (scope.isUsable() && CriticalSections.openOnThisThread() > sectionsAtOpen) {
                throw new IllegalStateException("a Python scope cannot be closed inside a critical section that was"
                        + " begun in it (py.criticalSection): let the section's body return first");
            }
            scope.close();
        }
    }

    /**
     * {@code eval(expression)} in the namespace of {@code __main__}.
     *
     * @param expression a Python expression
     * @return its value
     * @throws dev.pyjama.exceptions.PySyntaxError if it is not a valid expression
     */
    public PyObject eval(String expression) {
        return eval(expression, null, null);
    }

    /**
     * {@code eval(expression, globals, locals)}.
     *
     * @param expression a Python expression
     * @param globals the global namespace (a dict), or null for {@code __main__}'s
     * @param locals the local namespace (any mapping), or null for {@code globals}
     * @return its value
     */
    public PyObject eval(String expression, PyObject globals, PyObject locals) {
        return Handles.wrap(usableScope().innermost(), execute(expression, CApi.EVAL_INPUT, globals, locals),
                PyObject.class);
    }

    /**
     * Runs statements ({@code exec(code)}) in the namespace of {@code __main__}, so names they
     * define are visible to later {@code eval} and {@code run} calls.
     *
     * @param code Python statements
     */
    public void run(String code) {
        run(code, null, null);
    }

    /**
     * {@code exec(code, globals, locals)}.
     *
     * @param code Python statements
     * @param globals the global namespace (a dict), or null for {@code __main__}'s
     * @param locals the local namespace (any mapping), or null for {@code globals}
     */
    public void run(String code, PyObject globals, PyObject locals) {
        usableScope();
        CApi.decRef(execute(code, CApi.FILE_INPUT, globals, locals));
    }

    private static long execute(String code, int mode, PyObject globals, PyObject locals) {
        Objects.requireNonNull(code, "code");
        long g = globals == null ? Interpreter.mainDict() : globals.ptr();
        long l = locals == null ? g : locals.ptr();
        long compiled = CApi.newCompile(code, "<string>", mode);
        try {
            return CApi.newEvalCode(compiled, g, l);
        } finally {
            CApi.decRef(compiled);
        }
    }

    /**
     * {@code import name}; a dotted name gives the submodule itself ({@code "os.path"} gives
     * {@code os.path}, unlike the {@code import} statement's binding).
     *
     * @param name the module name
     * @return the module
     * @throws dev.pyjama.exceptions.PyModuleNotFoundError if there is no such module
     * @throws dev.pyjama.exceptions.PyBaseException whatever the module raises while importing
     */
    public PyModule importModule(String name) {
        Scope s = usableScope();
        Objects.requireNonNull(name, "name");
        long module = CApi.newImportModule(name);
        return Handles.wrap(s.innermost(), module, PyModule.class);
    }

    /**
     * Converts a Java value to a Python object: null to None, Boolean to bool, integral boxes and
     * BigInteger to int, Float and Double to float, CharSequence and Character to str, byte[] and
     * ByteBuffer to bytes, BigDecimal to Decimal, collections and arrays to list, Set to set, Map to
     * dict, Optional to its value or None, records to named tuples, enums to their name,
     * {@code java.time} types to {@code datetime} objects, UUID and Path to their Python classes, a
     * type with a registered {@link PyConverter} as it says; a {@link PyObject} or {@link Py} is
     * the object it refers to. The README has the full table.
     *
     * @param value the value
     * @return a handle to the Python object, in this thread's innermost scope
     * @throws IllegalArgumentException if the value's class has no conversion
     */
    public PyObject toPython(Object value) {
        Scope s = usableScope();
        return Handles.wrap(s.innermost(), Conversions.newToPython(value), PyObject.class);
    }

    // --- constructors of built-in objects ---

    /** Wraps a new reference in the innermost scope; the caller checked the scope before making it. */
    private <T extends PyObject> T own(long newRef, Class<T> type) {
        return Handles.wrap(scope.innermost(), newRef, type);
    }

    /**
     * {@code str(value)}: a Python str with the same text.
     *
     * @param value the text
     * @return the str
     */
    public PyStr str(String value) {
        usableScope();
        return own(Strings.newStr(Objects.requireNonNull(value, "value")), PyStr.class);
    }

    /**
     * A Python int.
     *
     * @param value the value
     * @return the int
     */
    public PyInt integer(long value) {
        usableScope();
        return own(Conversions.newToPython(value), PyInt.class);
    }

    /**
     * A Python int of any size.
     *
     * @param value the value
     * @return the int
     */
    public PyInt integer(BigInteger value) {
        usableScope();
        return own(Conversions.newToPython(Objects.requireNonNull(value, "value")), PyInt.class);
    }

    /**
     * A Python float.
     *
     * @param value the value
     * @return the float
     */
    public PyFloat floating(double value) {
        usableScope();
        return own(Conversions.newToPython(value), PyFloat.class);
    }

    /**
     * {@code True} or {@code False}.
     *
     * @param value the value
     * @return the bool
     */
    public PyBool bool(boolean value) {
        usableScope();
        return own(Conversions.newToPython(value), PyBool.class);
    }

    /**
     * A new list of the given items, each converted with {@link #toPython(Object)}. (To make a list
     * from a Java collection, pass it to {@link #list(Iterable)}. A single {@link PyObject} argument
     * is an {@code Iterable} too, so {@code py.list(obj)} is Python's {@code list(obj)}; write
     * {@code py.list((Object) obj)} for a one-element list.)
     *
     * @param items the items
     * @return the list
     */
    public PyList list(Object... items) {
        Objects.requireNonNull(items, "items");
        return list(java.util.Arrays.asList(items));
    }

    /**
     * A new list of the items of a Java iterable, each converted with {@link #toPython(Object)}.
     *
     * @param items the items
     * @return the list
     */
    public PyList list(Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        usableScope(); // before the list is made: a closed or foreign scope must not reach C
        PyList list = own(Containers.newList(), PyList.class);
        for (Object item : items) {
            list.append(item);
        }
        return list;
    }

    /**
     * A new tuple of the given items, each converted with {@link #toPython(Object)}.
     *
     * @param items the items
     * @return the tuple
     */
    public PyTuple tuple(Object... items) {
        Objects.requireNonNull(items, "items");
        usableScope();
        long tuple = CApi.newTuple(items.length);
        try {
            for (int i = 0; i < items.length; i++) {
                CApi.tupleSetStolen(tuple, i, Conversions.newToPython(items[i]));
            }
        } catch (RuntimeException e) {
            CApi.decRef(tuple);
            throw e;
        }
        return own(tuple, PyTuple.class);
    }

    /**
     * A new empty dict.
     *
     * @return the dict
     */
    public PyDict dict() {
        usableScope();
        return own(CApi.newDict(), PyDict.class);
    }

    /**
     * A new dict with the entries of a Java map (insertion order kept), keys and values converted
     * with {@link #toPython(Object)}.
     *
     * @param entries the entries
     * @return the dict
     */
    public PyDict dict(Map<?, ?> entries) {
        Objects.requireNonNull(entries, "entries");
        PyDict dict = dict();
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            dict.put(e.getKey(), e.getValue());
        }
        return dict;
    }

    /**
     * A new set of the given elements.
     *
     * @param items the elements (hashable)
     * @return the set
     */
    public PySet set(Object... items) {
        Objects.requireNonNull(items, "items");
        usableScope();
        PySet set = own(Containers.newSet(0), PySet.class);
        for (Object item : items) {
            set.add(item);
        }
        return set;
    }

    /**
     * A new frozenset of the given elements.
     *
     * @param items the elements (hashable)
     * @return the frozenset
     */
    public PyFrozenSet frozenSet(Object... items) {
        PySet elements = set(items);
        return own(Containers.newFrozenSet(elements.ptr()), PyFrozenSet.class);
    }

    /**
     * A new bytes object with a copy of {@code data}.
     *
     * @param data the bytes
     * @return the bytes object
     */
    public PyBytes bytes(byte[] data) {
        usableScope();
        return own(Containers.newBytes(Objects.requireNonNull(data, "data")), PyBytes.class);
    }

    /**
     * A new bytearray with a copy of {@code data}.
     *
     * @param data the bytes
     * @return the bytearray
     */
    public PyByteArray byteArray(byte[] data) {
        usableScope();
        return own(Containers.newByteArray(Objects.requireNonNull(data, "data")), PyByteArray.class);
    }

    /**
     * {@code slice(start, stop, step)}; null stands for None.
     *
     * @param start the start, or null
     * @param stop the stop, or null
     * @param step the step, or null
     * @return the slice
     */
    public PySlice slice(Long start, Long stop, Long step) {
        usableScope();
        long a = Conversions.newToPython(start);
        long b = Conversions.newToPython(stop);
        long c = Conversions.newToPython(step);
        try {
            return own(Containers.newSlice(a, b, c), PySlice.class);
        } finally {
            CApi.decRef(a);
            CApi.decRef(b);
            CApi.decRef(c);
        }
    }

    // --- memory shared with Python ---

    /**
     * A new zero-filled {@code bytearray} of {@code size} bytes and a writable view of it: Java
     * writes through {@link PyBuffer#segment()}, Python (numpy: {@code numpy.frombuffer(owner)})
     * reads the same memory without a copy. The memory belongs to the Python object, so it stays
     * valid for Python however long Python keeps it; Java's segment ends with the view.
     *
     * @param size the size in bytes
     * @return the writable view; {@link PyBuffer#owner()} is the bytearray
     */
    public PyBuffer newBuffer(long size) {
        PyObject bytes = builtins().getAttr("bytearray").call(size);
        return bytes.buffer(true);
    }

    // Java arrays copied into Python: each is one bulk copy into memory the result owns.

    /**
     * A copy of {@code values} as a Python {@code memoryview} of format {@code "d"} (float64) and
     * shape {@code (n,)}. The copy is the only one: the memory is allocated by Python (a
     * {@code bytearray} the memoryview holds), written once, and freed when the result is released,
     * by {@link PyObject#close()} or its scope, or later by Python if Python keeps a reference.
     * {@code numpy.asarray(result)} is a numpy array over the same memory, without another copy.
     *
     * <p>{@snippet :
     * PyObject mean = py.importModule("numpy").getAttr("mean");
     * try (PyObject data = py.arrayOf(samples)) {   // samples: double[]
     *     double m = mean.call(data).toJava(double.class);
     * }
     * }
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(double[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "f"} (float32), as
     * {@link #arrayOf(double[])}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(float[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "q"} (int64), as
     * {@link #arrayOf(double[])}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(long[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "i"} (int32), as
     * {@link #arrayOf(double[])}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(int[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "h"} (int16), as
     * {@link #arrayOf(double[])}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(short[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "b"} (int8, signed as Java's
     * bytes), as {@link #arrayOf(double[])}. For Python {@code bytes} use {@link #bytes(byte[])}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(byte[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "H"} (uint16: UTF-16 code
     * units), as {@link #arrayOf(double[])}. For a Python {@code str} use {@link #str(String)}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(char[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    /**
     * A copy of {@code values} as a {@code memoryview} of format {@code "?"} (bool, one byte each),
     * as {@link #arrayOf(double[])}.
     *
     * @param values the values
     * @return the memoryview, owned by the innermost scope
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(boolean[] values) {
        return array(Objects.requireNonNull(values, "values"));
    }

    private PyObject array(Object values) {
        Scope s = usableScope();
        return Handles.wrap(s.innermost(), Buffers.newArrayView(values), PyObject.class);
    }

    /**
     * A copy of {@code rows} as a two-dimensional {@code memoryview} of format {@code "d"} and shape
     * {@code (rows, columns)}, in row-major (C) order: one copy into memory the result owns, as
     * {@link #arrayOf(double[])}. {@code numpy.asarray(result)} is a 2-D numpy array over the same
     * memory.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(double[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "f"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(float[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "q"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(long[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "i"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(int[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "h"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(short[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "b"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(byte[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "H"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(char[][] rows) {
        return matrix(rows);
    }

    /**
     * A copy of {@code rows} as a 2-D {@code memoryview} of format {@code "?"}, as
     * {@link #arrayOf(double[][])}.
     *
     * @param rows the rows, all of the same length
     * @return the 2-D memoryview, owned by the innermost scope
     * @throws IllegalArgumentException if the rows differ in length
     * @throws dev.pyjama.exceptions.PyMemoryError if Python cannot allocate the memory
     */
    public PyObject arrayOf(boolean[][] rows) {
        return matrix(rows);
    }

    private PyObject matrix(Object[] rows) {
        Objects.requireNonNull(rows, "rows");
        Scope s = usableScope();
        int columns = 0;
        for (int r = 0; r < rows.length; r++) {
            int length = java.lang.reflect.Array.getLength(Objects.requireNonNull(rows[r], "rows[" + r + "]"));
            if (r == 0) {
                columns = length;
            } else if (length != columns) {
                throw new IllegalArgumentException("row " + r + " has " + length + " values, row 0 has " + columns);
            }
        }
        return Handles.wrap(s.innermost(), Buffers.newMatrixView(rows, columns), PyObject.class);
    }

    // --- Java functions and iterators visible to Python ---

    private PyCallable function(String name, String doc, JavaFunctions.Body body) {
        usableScope();
        Objects.requireNonNull(name, "name");
        return own(JavaFunctions.create(name, doc, body), PyCallable.class);
    }

    /**
     * A Python function that runs {@code body} with all positional and keyword arguments
     * ({@code def name(*args, **kwargs)}). One shared upcall stub serves every such function; the
     * Java body is released when Python drops the last reference to the function.
     *
     * @param name the function's {@code __name__}
     * @param body the Java code
     * @return the Python function, which can be passed anywhere Python expects a callable
     */
    public PyCallable function(String name, JavaCallable body) {
        return function(name, null, new JavaFunctions.Body(name, -1, Objects.requireNonNull(body, "body")));
    }

    /**
     * A Python function of no arguments that returns {@code body.get()}, converted.
     *
     * @param name the function's {@code __name__}
     * @param body the Java code
     * @return the Python function
     */
    public PyCallable function(String name, Supplier<?> body) {
        return function(name, null, new JavaFunctions.Body(name, 0, Objects.requireNonNull(body, "body")));
    }

    /**
     * A Python function of one positional argument ({@code key=} of {@code sorted}, {@code map}...).
     *
     * @param name the function's {@code __name__}
     * @param body the Java code
     * @return the Python function
     */
    public PyCallable function(String name, Function<PyObject, ?> body) {
        return function(name, null, new JavaFunctions.Body(name, 1, Objects.requireNonNull(body, "body")));
    }

    /**
     * A Python function of two positional arguments ({@code functools.reduce}...).
     *
     * @param name the function's {@code __name__}
     * @param body the Java code
     * @return the Python function
     */
    public PyCallable function(String name, BiFunction<PyObject, PyObject, ?> body) {
        return function(name, null, new JavaFunctions.Body(name, 2, Objects.requireNonNull(body, "body")));
    }

    /**
     * A Python function with a real signature, visible to {@code inspect.signature} and
     * {@code help()}: defaults, keyword-only parameters, {@code *args} and {@code **kwargs} work as
     * in Python. Python binds the arguments; {@code body} receives one positional argument per
     * parameter, in the signature's order ({@code *args} as a tuple, {@code **kwargs} as a dict).
     *
     * <p>{@snippet :
     * PyCallable greet = py.function("greet", "name, greeting='Hello', *, punctuation='!'",
     *         "Greets someone.", (p, args, kw) -> args.get(1) + ", " + args.get(0) + args.get(2));
     * }
     *
     * @param name the function's name
     * @param signature the parameter list as in a {@code def} (defaults must be literals)
     * @param doc the docstring, or null
     * @param body the Java code
     * @return the Python function
     * @throws dev.pyjama.exceptions.PySyntaxError if the signature is not valid Python
     */
    public PyCallable function(String name, String signature, String doc, JavaCallable body) {
        PyCallable impl = function(name, body);
        PyObject wrap = Handles.wrap(usableScope().innermost(), SupportModule.newAttr("_with_signature"), PyObject.class);
        return wrap.call(name, Objects.requireNonNull(signature, "signature"), doc, impl).as(PyCallable.class);
    }

    /**
     * The Java object itself in Python, as a {@code pyjama.JavaObject}, even when it has a
     * conversion (a {@code List} is not copied): Python calls its public methods, reads and writes
     * its public fields, and uses Java's protocols ({@code len}, {@code []}, {@code in}, iteration
     * and {@code del} for collections, maps, iterators and arrays; {@code str}, {@code ==},
     * {@code hash}; {@code with} for an {@code AutoCloseable}; calls for a functional interface;
     * comparisons for a {@code Comparable}), as the {@link HostAccess host access policy} allows.
     * Python holds a strong reference, dropped when Python frees the proxy; handed back to Java,
     * the proxy is the same Java object.
     *
     * @param value the Java object
     * @return the proxy
     * @throws NullPointerException if {@code value} is null
     * @throws dev.pyjama.exceptions.PyPermissionError if the policy never lets Python hold an object
     *     of its class ({@code Class}, class loaders, reflection, ...)
     */
    public PyObject wrap(Object value) {
        Scope scope = usableScope();
        Objects.requireNonNull(value, "value");
        return Handles.wrap(scope.innermost(), JavaObjects.newProxy(value), PyObject.class);
    }

    /**
     * A live view of a Java {@code List} or {@code Map} for Python: a {@code pyjama.JavaList}
     * (a {@code collections.abc.MutableSequence}) or {@code pyjama.JavaMap} (a
     * {@code MutableMapping}). Python's reads and writes go to the Java collection, which Python
     * changes in place; the conversions ({@link #toPython}) stay copies. Elements Python stores are
     * converted to their natural Java values (an int to a {@code Long}); keys are looked up the same
     * way, so a {@code Map<Integer, V>} is found by an {@code Integer} only through its Java methods.
     *
     * @param collection a {@code java.util.List} or {@code java.util.Map}
     * @return the view
     * @throws IllegalArgumentException if {@code collection} is neither a List nor a Map
     */
    public PyObject view(Object collection) {
        Scope scope = usableScope();
        Objects.requireNonNull(collection, "collection");
        return Handles.wrap(scope.innermost(), JavaObjects.newView(collection), PyObject.class);
    }

    /**
     * A Python iterator over a Java iterator, lazily: each {@code next()} in Python calls
     * {@code iterator.next()} and converts the item.
     *
     * @param iterator the Java iterator; used on whatever thread iterates in Python
     * @return the Python iterator
     */
    public PyIterator iterator(Iterator<?> iterator) {
        Objects.requireNonNull(iterator, "iterator");
        PyCallable next = function("__next__", () -> {
            if (!iterator.hasNext()) {
                throw new PyStopIteration(null);
            }
            return iterator.next();
        });
        PyObject type = Handles.wrap(usableScope().innermost(), SupportModule.newAttr("_JavaIterator"), PyObject.class);
        return type.call(next).as(PyIterator.class);
    }

    /**
     * A Python iterable over a Java iterable: each {@code iter()} in Python starts a new Java
     * iteration, lazily.
     *
     * @param iterable the Java iterable
     * @return the Python iterable
     */
    public PyObject iterable(Iterable<?> iterable) {
        Objects.requireNonNull(iterable, "iterable");
        PyCallable newIterator = function("__iter__", (py, args, kwargs) -> py.iterator(iterable.iterator()));
        PyObject type = Handles.wrap(usableScope().innermost(), SupportModule.newAttr("_JavaIterable"), PyObject.class);
        return type.call(newIterator);
    }

    /**
     * {@code None}.
     *
     * @return a handle to None
     */
    public PyObject none() {
        return toPython(null);
    }

    /**
     * The {@code builtins} module.
     *
     * @return the module
     */
    public PyModule builtins() {
        return importModule("builtins");
    }

    /**
     * Releases the GIL while {@code body} runs Java code, then takes it back, also when
     * {@code body} throws. Objects of this and outer scopes cannot be used inside the block
     * ({@link IllegalStateException}); attach again inside it to call Python.
     *
     * @param <T> the result type
     * @param body Java work that does not need Python
     * @return what {@code body} returns
     */
    public <T> T detach(Supplier<? extends T> body) {
        Objects.requireNonNull(body, "body");
        return usableScope().detach(body::get);
    }

    // --- synchronisation (PyO3's pyo3::sync) ---

    /**
     * Runs {@code body} holding {@code object}'s critical section (C's
     * {@code Py_BEGIN_CRITICAL_SECTION(object)} ... {@code Py_END_CRITICAL_SECTION()}, through
     * {@code PyCriticalSection_Begin} and {@code PyCriticalSection_End}; PyO3's
     * {@code with_critical_section}), and returns what it returns. The section ends when the body
     * returns or throws.
     *
     * <p>On a free-threaded build a critical section is the lock that CPython's own operations on
     * {@code object} take (the built-in containers: {@code dict}, {@code list}, {@code set},
     * {@code bytearray}...; and extension types that use critical sections). While the body holds
     * it, another thread's {@code d[k] = v}, {@code l.append(x)} or {@code del l[i]} on the same
     * object waits. Sections are not reentrant locks but CPython's deadlock-free variant, with its
     * rule: only the innermost section of a thread is sure to be held. Whenever the thread detaches,
     * its sections are released and taken again before it goes on: in {@link #detach(Supplier)},
     * while {@link #lock(Lock)} waits, in any Python code that blocks with the thread state released
     * (I/O, {@code time.sleep}, waiting for a lock), and when a nested section has to wait for its
     * object. On CPython 3.13 a nested section on the same object has to wait too (for the thread
     * itself), so it releases the outer one for a moment; and CPython begins such sections inside its
     * own operations: every write to a container ({@code append}, {@code d[k] = v}...) and, when a
     * value is not yet shared between threads, reads too (a dict lookup, a dict's or list's
     * iterator, {@code PyList.get}). So on 3.13 a body that calls several such operations on the
     * locked object is not one step. What holds there: no other thread changes {@code object} while
     * the body does anything else that does not block (reads its size, works in Java, operates on
     * other objects), and each of pyjama's own copies of a container ({@code toJava},
     * {@link PyDict#toMap}, {@link PyList#toList}, an iteration of {@link PyDict#asMap()}) is one
     * state of it, inside a section or not. Keep the body short, and do not block in it (wait for a
     * Java lock with {@link #withLock(Lock, Supplier)}, never with {@code Lock.lock()}).
     *
     * <p>With the GIL (every build but a free-threaded one), the GIL already serialises what a
     * section would, so this only runs the body: no C call, the same semantics as
     * {@code Py_BEGIN_CRITICAL_SECTION}, which is an empty block there. Sections nest, on the same
     * object too, and the body may call Python, attach nested scopes, or open more sections.
     *
     * @param <T> the result type
     * @param object the object to lock
     * @param body runs attached, on this thread, inside the section
     * @return what {@code body} returns
     * @throws IllegalStateException if this token or {@code object} is used outside its scope
     * @throws WrongThreadException if this token or {@code object} belongs to another thread
     */
    public <T> T criticalSection(PyObject object, Supplier<? extends T> body) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(body, "body");
        usableScope();
        long section = CriticalSections.begin(object.ptr());
        try {
            return body.get();
        } finally {
            CriticalSections.end(section);
        }
    }

    /**
     * Runs {@code body} holding the critical sections of two objects at once (C's
     * {@code Py_BEGIN_CRITICAL_SECTION2(a, b)}, through {@code PyCriticalSection2_Begin} and
     * {@code PyCriticalSection2_End}; PyO3's {@code with_critical_section2}), for work that reads or
     * changes both, such as copying one container into another. CPython locks the two in a fixed
     * order, so two threads that lock the same pair in opposite argument order cannot deadlock; the
     * same object twice is locked once. Nesting one section inside another cannot lock two objects:
     * the inner one may suspend the outer. Otherwise it behaves as
     * {@link #criticalSection(PyObject, Supplier)}, a no-op with the GIL included.
     *
     * @param <T> the result type
     * @param a the first object to lock
     * @param b the second object to lock
     * @param body runs attached, on this thread, inside the section
     * @return what {@code body} returns
     * @throws IllegalStateException if this token or an object is used outside its scope
     * @throws WrongThreadException if this token or an object belongs to another thread
     */
    public <T> T criticalSection(PyObject a, PyObject b, Supplier<? extends T> body) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(body, "body");
        usableScope();
        long section = CriticalSections.begin2(a.ptr(), b.ptr());
        try {
            return body.get();
        } finally {
            CriticalSections.end2(section);
        }
    }

    /**
     * Locks a Java {@code lock} without blocking Python while it waits (PyO3's
     * {@code MutexExt::lock_py_attached}): takes it at once if it is free ({@code tryLock()});
     * otherwise detaches this thread from Python (releases the GIL, or on a free-threaded build the
     * thread's attached state, as {@link #detach(Supplier)} does), waits in {@code lock.lock()}, and
     * attaches again, holding the lock. The caller unlocks it, in a finally block.
     *
     * <p>Waiting for a Java lock while attached can deadlock: the thread holding the lock may be
     * waiting to attach, for the GIL this thread holds or, on a free-threaded build, for a
     * stop-the-world pause (a garbage collection, for one) that cannot start until this thread
     * detaches. Waiting detached cannot. The wait is {@code lock.lock()}'s: not interruptible. Objects
     * of open scopes cannot be used by other code while it waits, as in a detached block, and the
     * thread's critical sections are suspended meanwhile.
     *
     * @param lock the lock to take; a reentrant lock this thread holds already is taken again at once
     * @throws IllegalStateException if this token is used outside its scope
     * @throws WrongThreadException if this token belongs to another thread
     */
    public void lock(Lock lock) {
        Objects.requireNonNull(lock, "lock");
        Scope s = usableScope();
        if (lock.tryLock()) {
            return;
        }
        boolean[] taken = {false};
        try {
            s.detach(() -> {
                lock.lock();
                taken[0] = true;
                return null;
            });
        } catch (RuntimeException | Error e) {
            if (taken[0]) {
                lock.unlock(); // attaching again failed: the caller never learns it held the lock
            }
            throw e;
        }
    }

    /**
     * Runs {@code body} holding a Java {@code lock} that is taken as {@link #lock(Lock)} takes it
     * (detached while waiting, so the wait cannot deadlock with the GIL or a stop-the-world pause),
     * and unlocks it when the body returns or throws.
     *
     * @param <T> the result type
     * @param lock the lock to hold
     * @param body runs attached, holding the lock
     * @return what {@code body} returns
     * @throws IllegalStateException if this token is used outside its scope
     * @throws WrongThreadException if this token belongs to another thread
     */
    public <T> T withLock(Lock lock, Supplier<? extends T> body) {
        Objects.requireNonNull(body, "body");
        lock(lock);
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The interned Python str for {@code name}, created once per interpreter (PyO3's
     * {@code intern!}).
     *
     * @param name the string
     * @return a handle to the interned str
     */
    public PyObject intern(String name) {
        Scope s = usableScope();
        long n = Names.get(Objects.requireNonNull(name, "name"));
        CApi.incRef(n);
        return Handles.wrap(s.innermost(), n, PyObject.class);
    }

    @Override
    public String toString() {
        return "Python[" + (scope.isClosed() ? "closed" : "open") + "]";
    }
}
