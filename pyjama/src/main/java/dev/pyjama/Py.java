package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.Calls;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.ReleaseQueue;
import dev.pyjama.internal.runtime.Scope;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A strong reference to a Python object that belongs to no scope and no thread (PyO3's
 * {@code Py<T>}): it can be stored in fields and passed between threads, and is turned back into a
 * usable handle with {@link #bind(Python)}.
 *
 * <p>{@link #close()} releases the reference at once (attaching briefly if the calling thread is
 * not attached). A {@code Py} that is never closed is released after the garbage collector finds
 * it unreachable: its cleaner only queues the release, and the next thread to attach applies it.
 * No Python code ever runs on the cleaner's thread.
 *
 * <p>A {@code Py} cannot be serialised: it is a reference into this process's CPython. It declares
 * {@link java.io.Serializable} only so that serialising one (a Spark or Flink closure that captured
 * it) fails with a {@link java.io.NotSerializableException} that says what to do instead.
 *
 * @param <T> the handle type that {@link #bind} returns
 * @serial exclude
 */
public final class Py<T extends PyObject> implements AutoCloseable, java.io.Serializable {

    static {
        ApiAccess.install(new ApiAccess.Handles() {
            @Override
            public Py<PyObject> adopt(long newRef) {
                return new Py<>(PyObject.class, newRef, false);
            }

            @Override
            public PyObject bindNew(long newRef) {
                Scope current = Scope.currentOrNull();
                if (current == null) {
                    CApi.decRef(newRef);
                    throw new IllegalStateException("not attached");
                }
                return Handles.wrap(current, newRef, PyObject.class);
            }

            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public long toPythonVia(PyConverter<?> converter, Object value) {
                Python py = Python.borrowing(current());
                PyObject result = ((PyConverter) converter).toPython(py, value);
                if (result == null) {
                    throw new NullPointerException(converter.getClass().getName() + ".toPython returned null");
                }
                long a = result.ptr();
                CApi.incRef(a);
                return a;
            }

            @Override
            public Object toJavaVia(PyConverter<?> converter, long borrowed) {
                CApi.incRef(borrowed);
                PyObject handle = Handles.wrap(current(), borrowed, PyObject.class);
                try {
                    return converter.toJava(handle);
                } finally {
                    handle.close();
                }
            }

            private Scope current() {
                Scope s = Scope.currentOrNull();
                if (s == null) {
                    throw new IllegalStateException("not attached");
                }
                return s;
            }

            @Override
            public long borrowedAddress(Object value) {
                if (value instanceof PyObject o) {
                    return o.ptr();
                }
                if (value instanceof Py<?> p) {
                    return p.address();
                }
                return 0;
            }
        });
    }

    private final Class<T> type;
    private final long address;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReleaseQueue.Handle cleanable;

    /** Takes ownership of {@code newRef}. */
    Py(Class<T> type, long newRef) {
        this(type, newRef, true);
    }

    private Py(Class<T> type, long newRef, boolean trackLeaks) {
        this.type = type;
        this.address = newRef;
        this.cleanable = ReleaseQueue.register(this, newRef, trackLeaks);
    }

    private long address() {
        if (closed.get()) {
            throw new IllegalStateException("this Py was closed; its reference has been released");
        }
        return address;
    }

    /**
     * A handle to the object in {@code py}'s scope (a new reference owned by that scope).
     *
     * @param py the attach token of the calling thread
     * @return the bound handle
     * @throws IllegalStateException if this {@code Py} was closed or {@code py}'s scope is closed
     * @throws WrongThreadException if {@code py} belongs to another thread
     */
    public T bind(Python py) {
        Scope scope = Objects.requireNonNull(py, "py").usableScope();
        long a = address();
        CApi.incRef(a);
        return Handles.wrap(scope.innermost(), a, type);
    }

    /**
     * {@code self(*args)} converted to {@code type} at once, without binding: no handle is made and
     * nothing is left to {@code py}'s scope, so a loop of calls through a {@code Py} kept in a
     * {@link PyOnceCell} allocates no handle (the form generated facades use). The conversion is
     * {@link PyObject#toJava(Class)}'s; to get a handle, {@code bind(py).call(args)}.
     *
     * @param <R> the Java type
     * @param py the attach token of the calling thread
     * @param type the Java class of the result ({@code long.class}, {@code String.class}...); not a
     *     {@code PyObject} handle class
     * @param args the arguments, each converted with {@link Python#toPython(Object)}
     * @return the converted result
     * @throws IllegalArgumentException if {@code type} is a handle class
     * @throws IllegalStateException if this {@code Py} was closed or {@code py}'s scope is closed
     * @throws dev.pyjama.exceptions.PyBaseException (a subclass) if the call raises
     */
    public <R> R callAs(Python py, Class<R> type, Object... args) {
        Scope scope = Objects.requireNonNull(py, "py").usableScope();
        Objects.requireNonNull(type, "type");
        if (!type.isPrimitive() && PyObject.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("callAs makes no handle; use bind(py).call(args) for " + type.getName());
        }
        long r = Calls.call(scope, address(), args, null);
        try {
            return Conversions.toJava(r, type);
        } finally {
            CApi.decRef(r);
        }
    }

    /**
     * {@code self(*args)} converted deeply to a generic type, without binding (see
     * {@link #callAs(Python, Class, Object...)}).
     *
     * @param <R> the Java type
     * @param py the attach token of the calling thread
     * @param type the captured generic type ({@code new TypeRef<List<Long>>() {}})
     * @param args the arguments, each converted with {@link Python#toPython(Object)}
     * @return the converted result
     * @throws IllegalStateException if this {@code Py} was closed or {@code py}'s scope is closed
     * @throws dev.pyjama.exceptions.PyBaseException (a subclass) if the call raises
     */
    @SuppressWarnings("unchecked")
    public <R> R callAs(Python py, TypeRef<R> type, Object... args) {
        Scope scope = Objects.requireNonNull(py, "py").usableScope();
        java.lang.reflect.Type t = Objects.requireNonNull(type, "type").type();
        long r = Calls.call(scope, address(), args, null);
        try {
            return (R) Conversions.toJava(r, t);
        } finally {
            CApi.decRef(r);
        }
    }

    /**
     * Releases the reference now. Idempotent; {@link #bind} afterwards throws
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            cleanable.clean();
            ReleaseQueue.releaseNow();
        }
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        throw Handles.notSerializable("a dev.pyjama.Py");
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
        throw Handles.notSerializable("a dev.pyjama.Py");
    }

    /** Describes the reference without calling Python (any thread may call it). */
    @Override
    public String toString() {
        return "Py<" + type.getSimpleName() + ">[0x" + Long.toHexString(address) + (closed.get() ? ", closed]" : "]");
    }
}
