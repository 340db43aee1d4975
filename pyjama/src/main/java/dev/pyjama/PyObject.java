package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Operators;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.Awaitables;
import dev.pyjama.internal.Calls;
import dev.pyjama.internal.ContextManagers;
import dev.pyjama.internal.bridge.InterfaceProxies;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Scope;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A Python object, bound to the attach scope it was obtained in (PyO3's {@code Bound<'py, PyAny>}).
 *
 * <p>The handle owns one reference to the object; the reference is released when its scope closes
 * or when {@link #close()} is called. The handle may be used only on its scope's thread
 * (otherwise {@link WrongThreadException}) and only while the scope is open (otherwise
 * {@link IllegalStateException}); it never crashes the JVM. To keep an object longer, or to hand it
 * to another thread, {@link #unbind()} it.
 *
 * <p>Objects returned by an operation belong to the innermost scope open on the calling thread,
 * so a nested scope ({@link Python#scope}) frees them when it closes.
 *
 * <p>Arguments given as Java values are converted with {@link Python#toPython(Object)}. A Python
 * exception raised by an operation is thrown as the matching
 * {@link dev.pyjama.exceptions.PyBaseException} subclass.
 *
 * <p>{@link #equals(Object)} and {@link #hashCode()} are Python identity ({@code is}, {@code id()}):
 * two handles are equal when they refer to the same object. Python's {@code ==} is
 * {@link #pyEquals(Object)}.
 *
 * <p>A handle cannot be serialised; like {@link Py}, it declares {@link java.io.Serializable} only
 * so that serialising one fails with a {@link java.io.NotSerializableException} that says what to do.
 *
 * @serial exclude
 */
public sealed class PyObject implements Iterable<PyObject>, AutoCloseable, java.io.Serializable permits PyStr, PyInt, PyBool, PyFloat, PyBytes, PyByteArray, PyList, PyTuple, PyDict, PySet, PyFrozenSet, PyModule,
        PyType, PySlice, PyIterator, PyCallable {

    final Scope scope;
    final long address;
    final int slot;
    /** Set by {@link #close()}: the slot may since hold another object's reference. */
    private boolean closed;

    PyObject(Scope scope, long address, int slot) {
        this.scope = scope;
        this.address = address;
        this.slot = slot;
    }

    /** The address, after checking the handle is usable here and now. */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        throw Handles.notSerializable("a dev.pyjama." + getClass().getSimpleName() + " handle");
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
        throw Handles.notSerializable("a dev.pyjama." + getClass().getSimpleName() + " handle");
    }

    final long ptr() {
        scope.check();
        if (closed) {
            throw new IllegalStateException("this PyObject was closed");
        }
        return address;
    }

    /** Wraps a new reference as a handle of the calling thread's innermost scope. */
    final PyObject result(long newRef) {
        return Handles.wrap(scope.innermost(), newRef, PyObject.class);
    }

    // --- attributes ---

    /**
     * {@code getattr(self, name)}.
     *
     * @param name the attribute name
     * @return the attribute's value
     * @throws dev.pyjama.exceptions.PyAttributeError if there is no such attribute
     */
    public PyObject getAttr(String name) {
        long self = ptr();
        return result(CApi.newGetAttr(self, Names.get(Objects.requireNonNull(name, "name"))));
    }

    /**
     * {@code setattr(self, name, value)}.
     *
     * @param name the attribute name
     * @param value the new value, converted with {@link Python#toPython(Object)}
     * @throws dev.pyjama.exceptions.PyAttributeError if the attribute cannot be set
     */
    public void setAttr(String name, Object value) {
        long self = ptr();
        long n = Names.get(Objects.requireNonNull(name, "name"));
        long v = Conversions.newToPython(value);
        try {
            CApi.setAttr(self, n, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code hasattr(self, name)}: true when {@code getattr} succeeds, false when it raises
     * AttributeError; any other exception raised by the lookup is thrown.
     *
     * @param name the attribute name
     * @return whether the attribute exists
     */
    public boolean hasAttr(String name) {
        long self = ptr();
        long a = CApi.newGetAttrOrZero(self, Names.get(Objects.requireNonNull(name, "name")));
        if (a == 0) {
            return false;
        }
        CApi.decRef(a);
        return true;
    }

    /**
     * {@code delattr(self, name)}.
     *
     * @param name the attribute name
     * @throws dev.pyjama.exceptions.PyAttributeError if there is no such attribute
     */
    public void delAttr(String name) {
        long self = ptr();
        CApi.delAttr(self, Names.get(Objects.requireNonNull(name, "name")));
    }

    // --- calls ---

    /**
     * {@code self(*args)}: calls the object with positional arguments (vectorcall, no tuple built).
     *
     * @param args the arguments, each converted with {@link Python#toPython(Object)}
     * @return the call's result
     */
    public PyObject call(Object... args) {
        long self = ptr();
        return result(Calls.call(scope, self, args, null));
    }

    /**
     * {@code self(*args)} converted to {@code type} at once: the result is released before this
     * returns, so no handle is made and nothing is left to the scope. The direct form of
     * {@code call(args).toJava(type)} for loops; the conversion is {@link #toJava(Class)}'s.
     *
     * <p>{@snippet :
     * long total = 0;
     * for (long i = 0; i < n; i++) {
     *     total += f.callAs(long.class, i);    // no handle, nothing kept by the scope
     * }
     * }
     *
     * @param <T> the Java type
     * @param type the Java class of the result ({@code long.class}, {@code String.class}...)
     * @param args the arguments, each converted with {@link Python#toPython(Object)}
     * @return the converted result
     * @throws dev.pyjama.exceptions.PyBaseException (a subclass) if the call raises
     * @throws dev.pyjama.exceptions.PyTypeError if the result cannot be converted to {@code type}
     */
    public <T> T callAs(Class<T> type, Object... args) {
        long self = ptr();
        Objects.requireNonNull(type, "type");
        if (!type.isPrimitive() && PyObject.class.isAssignableFrom(type)) {
            return call(args).toJava(type); // a handle is what was asked for
        }
        long r = Calls.call(scope, self, args, null);
        try {
            return Conversions.toJava(r, type);
        } finally {
            CApi.decRef(r);
        }
    }

    /**
     * {@code self(*args, **kwargs)}: calls the object with positional and keyword arguments.
     *
     * @param args the positional arguments (may be empty)
     * @param kwargs the keyword arguments, in order; values converted with {@link Python#toPython(Object)}
     * @return the call's result
     */
    public PyObject call(Object[] args, Map<String, ?> kwargs) {
        long self = ptr();
        return result(Calls.call(scope, self, Objects.requireNonNull(args, "args"), kwargs));
    }

    /**
     * {@code self.name(*args)}: calls a method by name, without creating a bound method object.
     *
     * @param name the method name (interned once, then reused)
     * @param args the arguments, each converted with {@link Python#toPython(Object)}
     * @return the call's result
     */
    public PyObject callMethod(String name, Object... args) {
        long self = ptr();
        return result(Calls.callMethod(scope, self, Names.get(Objects.requireNonNull(name, "name")), args));
    }

    /**
     * {@code self.name(*args, **kwargs)}.
     *
     * @param name the method name
     * @param args the positional arguments
     * @param kwargs the keyword arguments, in order ({@link Kwargs#kw} builds them)
     * @return the call's result
     */
    public PyObject callMethod(String name, Object[] args, Map<String, ?> kwargs) {
        return getAttr(name).call(args, kwargs);
    }

    /**
     * {@code self(*args, **kwargs)} with Python objects as the argument containers: any iterable for
     * {@code args}, any mapping for {@code kwargs} (either may be null).
     *
     * @param args an iterable of positional arguments, or null
     * @param kwargs a mapping of keyword arguments, or null
     * @return the call's result
     */
    public PyObject callUnpacking(PyObject args, PyObject kwargs) {
        long self = ptr();
        return result(Calls.callUnpacking(self, args == null ? 0 : args.ptr(), kwargs == null ? 0 : kwargs.ptr()));
    }

    /**
     * Uses this object as a context manager, as Python's {@code with} statement does: calls
     * {@code __enter__}, runs {@code body} with its result, then {@code __exit__}. An exception
     * thrown by {@code body} is passed to {@code __exit__} (as the Python exception it came from,
     * or as {@code pyjama.JavaException}); if {@code __exit__} returns a true value it is
     * suppressed and this method returns null, otherwise the original exception is rethrown.
     *
     * @param <T> the result type
     * @param body the code to run inside the context
     * @return what {@code body} returns, or null when an exception was suppressed
     */
    public <T> T with(Function<PyObject, ? extends T> body) {
        long self = ptr();
        Objects.requireNonNull(body, "body");
        PyObject value = result(ContextManagers.newEnter(self));
        T out;
        try {
            out = body.apply(value);
        } catch (Throwable t) {
            boolean suppressed;
            try {
                suppressed = ContextManagers.exit(ptr(), t);
            } catch (RuntimeException | Error exitFailed) {
                // As in Python, the body's exception is the context of the one __exit__ raised.
                if (exitFailed != t) {
                    try {
                        exitFailed.initCause(t);
                    } catch (IllegalStateException | IllegalArgumentException causeTaken) {
                        exitFailed.addSuppressed(t);
                    }
                }
                throw exitFailed;
            }
            if (suppressed) {
                return null;
            }
            throw t;
        }
        ContextManagers.exit(ptr(), null);
        return out;
    }

    /**
     * Enters this context manager for use with try-with-resources:
     * {@code try (PyContext ctx = lock.enterContext()) { ... ctx.value() ... }}. Closing calls
     * {@code __exit__(None, None, None)}. Java's try-with-resources does not tell {@code close()}
     * about an exception in the block, so use {@link #with(Function)} when {@code __exit__} must see
     * exceptions or may suppress them.
     *
     * @return the entered context
     */
    public PyContext enterContext() {
        long self = ptr();
        PyObject value = result(ContextManagers.newEnter(self));
        return new PyContext(this, value);
    }

    /**
     * A read-only zero-copy view of this object's memory ({@code PyObject_GetBuffer}), released when
     * the view is closed or the scope closes.
     *
     * @return the view
     * @throws dev.pyjama.exceptions.PyTypeError if the object does not support the buffer protocol
     */
    public PyBuffer buffer() {
        return buffer(false);
    }

    /**
     * A zero-copy view of this object's memory, writable if asked.
     *
     * @param writable whether Java will write to the memory
     * @return the view
     * @throws dev.pyjama.exceptions.PyBufferError if a writable view is asked of read-only memory (bytes)
     * @throws dev.pyjama.exceptions.PyTypeError if the object does not support the buffer protocol
     */
    public PyBuffer buffer(boolean writable) {
        long self = ptr();
        return new PyBuffer(scope.innermost(), this, self, writable);
    }

    // --- items ---

    /**
     * {@code self[key]}.
     *
     * @param key the key or index, converted with {@link Python#toPython(Object)}
     * @return the item
     * @throws dev.pyjama.exceptions.PyKeyError if a mapping has no such key
     * @throws dev.pyjama.exceptions.PyIndexError if a sequence index is out of range
     */
    public PyObject getItem(Object key) {
        long self = ptr();
        long k = Conversions.newToPython(key);
        try {
            return result(CApi.newGetItem(self, k));
        } finally {
            CApi.decRef(k);
        }
    }

    /**
     * {@code self[key] = value}.
     *
     * @param key the key or index
     * @param value the value
     */
    public void setItem(Object key, Object value) {
        long self = ptr();
        long k = Conversions.newToPython(key);
        try {
            long v = Conversions.newToPython(value);
            try {
                CApi.setItem(self, k, v);
            } finally {
                CApi.decRef(v);
            }
        } finally {
            CApi.decRef(k);
        }
    }

    /**
     * {@code del self[key]}.
     *
     * @param key the key or index
     */
    public void delItem(Object key) {
        long self = ptr();
        long k = Conversions.newToPython(key);
        try {
            CApi.delItem(self, k);
        } finally {
            CApi.decRef(k);
        }
    }

    /**
     * {@code len(self)}.
     *
     * @return the length
     * @throws dev.pyjama.exceptions.PyTypeError if the object has no length
     */
    public long len() {
        return CApi.size(ptr());
    }

    /**
     * {@code value in self}.
     *
     * @param value the value to look for
     * @return whether it is contained
     */
    public boolean contains(Object value) {
        long self = ptr();
        long v = Conversions.newToPython(value);
        try {
            return CApi.contains(self, v);
        } finally {
            CApi.decRef(v);
        }
    }

    /**
     * {@code iter(self)}, lazily: each {@code next()} calls Python's {@code next()}. Items belong to
     * the innermost scope open when they are produced.
     *
     * @return an iterator over the object's items
     * @throws dev.pyjama.exceptions.PyTypeError if the object is not iterable
     */
    @Override
    public Iterator<PyObject> iterator() {
        long self = ptr();
        PyObject it = result(CApi.newIter(self));
        return new Iterator<>() {
            private PyObject next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    long n = CApi.newNextOrZero(it.ptr());
                    if (n == 0) {
                        done = true;
                        it.close();
                    } else {
                        next = it.result(n);
                    }
                }
                return next != null;
            }

            @Override
            public PyObject next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                PyObject n = next;
                next = null;
                return n;
            }
        };
    }

    /**
     * {@code iter(self)} as a sequential, lazy {@link Stream}; it must be consumed on this thread
     * while the scope is open.
     *
     * @return the stream of items
     */
    public Stream<PyObject> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false);
    }

    // --- operators ---

    private PyObject binary(int op, Object other) {
        long self = ptr();
        long o = Conversions.newToPython(other);
        try {
            return result(Operators.newBinary(op, self, o));
        } finally {
            CApi.decRef(o);
        }
    }

    private PyObject unary(int op) {
        return result(Operators.newUnary(op, ptr()));
    }

    /**
     * {@code self + other}.
     *
     * @param other the right operand, converted with {@link Python#toPython(Object)}
     * @return the result
     */
    public PyObject plus(Object other) {
        return binary(Operators.ADD, other);
    }

    /**
     * {@code self - other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject minus(Object other) {
        return binary(Operators.SUBTRACT, other);
    }

    /**
     * {@code self * other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject times(Object other) {
        return binary(Operators.MULTIPLY, other);
    }

    /**
     * {@code self @ other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject matmul(Object other) {
        return binary(Operators.MATRIX_MULTIPLY, other);
    }

    /**
     * {@code self / other}.
     *
     * @param other the right operand
     * @return the result
     * @throws dev.pyjama.exceptions.PyZeroDivisionError on division by zero
     */
    public PyObject div(Object other) {
        return binary(Operators.TRUE_DIVIDE, other);
    }

    /**
     * {@code self // other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject floorDiv(Object other) {
        return binary(Operators.FLOOR_DIVIDE, other);
    }

    /**
     * {@code self % other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject mod(Object other) {
        return binary(Operators.REMAINDER, other);
    }

    /**
     * {@code self ** other}.
     *
     * @param other the exponent
     * @return the result
     */
    public PyObject pow(Object other) {
        return binary(Operators.POWER, other);
    }

    /**
     * {@code self << other}.
     *
     * @param other the shift
     * @return the result
     */
    public PyObject shl(Object other) {
        return binary(Operators.LSHIFT, other);
    }

    /**
     * {@code self >> other}.
     *
     * @param other the shift
     * @return the result
     */
    public PyObject shr(Object other) {
        return binary(Operators.RSHIFT, other);
    }

    /**
     * {@code self & other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject and(Object other) {
        return binary(Operators.AND, other);
    }

    /**
     * {@code self | other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject or(Object other) {
        return binary(Operators.OR, other);
    }

    /**
     * {@code self ^ other}.
     *
     * @param other the right operand
     * @return the result
     */
    public PyObject xor(Object other) {
        return binary(Operators.XOR, other);
    }

    /**
     * {@code -self}.
     *
     * @return the result
     */
    public PyObject negate() {
        return unary(Operators.NEGATIVE);
    }

    /**
     * {@code +self}.
     *
     * @return the result
     */
    public PyObject unaryPlus() {
        return unary(Operators.POSITIVE);
    }

    /**
     * {@code abs(self)}.
     *
     * @return the result
     */
    public PyObject abs() {
        return unary(Operators.ABSOLUTE);
    }

    /**
     * {@code ~self}.
     *
     * @return the result
     */
    public PyObject inv() {
        return unary(Operators.INVERT);
    }

    /**
     * Rich comparison {@code self <op> other} as an object (numpy returns arrays, for instance).
     *
     * @param op the operator
     * @param other the right operand
     * @return the comparison's result
     */
    public PyObject richCompare(CompareOp op, Object other) {
        long self = ptr();
        long o = Conversions.newToPython(other);
        try {
            return result(CApi.newCompare(self, o, Objects.requireNonNull(op, "op").ordinal()));
        } finally {
            CApi.decRef(o);
        }
    }

    /**
     * Rich comparison {@code self <op> other}, then {@code bool()} of the result.
     *
     * @param op the operator
     * @param other the right operand
     * @return the truth value of the comparison
     */
    public boolean compare(CompareOp op, Object other) {
        long self = ptr();
        long o = Conversions.newToPython(other);
        try {
            return CApi.compare(self, o, Objects.requireNonNull(op, "op").ordinal());
        } finally {
            CApi.decRef(o);
        }
    }

    /**
     * {@code hash(self)}, Python's hash (not {@link #hashCode()}, which is identity-based).
     *
     * @return the hash
     * @throws dev.pyjama.exceptions.PyTypeError if the object is unhashable
     */
    public long pyHash() {
        return CApi.hash(ptr());
    }

    /**
     * {@code callable(self)}.
     *
     * @return whether the object can be called
     */
    public boolean isCallable() {
        return CApi.isCallable(ptr());
    }

    /**
     * Whether this object is an instance of the Python type {@code type} stands for, subclasses
     * included ({@code obj.is(PyList.class)} is {@code isinstance(obj, list)}).
     *
     * @param type a handle class
     * @return whether {@link #as(Class)} would succeed
     */
    public boolean is(Class<? extends PyObject> type) {
        return Handles.isKind(ptr(), Objects.requireNonNull(type, "type"));
    }

    /**
     * Whether this object's type is exactly the Python type {@code type} stands for, not a
     * subclass ({@code type(obj) is list}).
     *
     * @param type a handle class
     * @return whether the type matches exactly
     */
    public boolean isExactly(Class<? extends PyObject> type) {
        return Handles.isExactKind(ptr(), Objects.requireNonNull(type, "type"));
    }

    // --- text ---

    /**
     * {@code repr(self)}.
     *
     * @return the representation
     */
    public String repr() {
        long r = CApi.newRepr(ptr());
        try {
            return Strings.toJava(r);
        } finally {
            CApi.decRef(r);
        }
    }

    /**
     * {@code str(self)}.
     *
     * @return the string form
     */
    public String str() {
        long r = CApi.newStr(ptr());
        try {
            return Strings.toJava(r);
        } finally {
            CApi.decRef(r);
        }
    }

    /**
     * {@code str(self)} when the handle is usable on this thread; otherwise (another thread, such as
     * a debugger's, or a closed scope) a description that calls no Python. Never throws: a
     * {@code __str__} that raises gives Python's own placeholder.
     */
    @Override
    public String toString() {
        if (!scope.isUsable() || closed) {
            return "<Python object at 0x" + Long.toHexString(address) + (scope.isClosed() ? ", scope closed>" : ">");
        }
        try {
            return str();
        } catch (RuntimeException e) {
            return "<unprintable object at 0x" + Long.toHexString(address) + ": " + e.getMessage() + ">";
        }
    }

    // --- identity and truth ---

    /**
     * {@code self is None}.
     *
     * @return whether this is None
     */
    public boolean isNone() {
        return CApi.isNone(ptr());
    }

    /**
     * {@code bool(self)}: Python's truth value.
     *
     * @return the truth value
     */
    public boolean isTruthy() {
        return CApi.isTrue(ptr());
    }

    /**
     * {@code self == other}, Python's equality ({@code __eq__}).
     *
     * @param other the value to compare with, converted with {@link Python#toPython(Object)}
     * @return the truth value of the comparison
     */
    public boolean pyEquals(Object other) {
        return compare(CompareOp.EQ, other);
    }

    /**
     * {@code type(self)}.
     *
     * @return the object's type
     */
    public PyType type() {
        long t = CApi.borrowedType(ptr());
        CApi.incRef(t);
        return Handles.wrap(scope.innermost(), t, PyType.class);
    }

    /**
     * {@code isinstance(self, type)}.
     *
     * @param type a class, or a tuple of classes
     * @return whether this object is an instance
     */
    public boolean isInstance(PyObject type) {
        long self = ptr();
        return CApi.isInstance(self, Objects.requireNonNull(type, "type").ptr());
    }

    // --- conversion and ownership ---

    /**
     * Converts the object to a Java value of {@code type}. Strict about kinds (a str is not a
     * number, an int is not a bool, None converts only to {@code Object}, {@code Optional} and
     * handles) and exact about values (an int that does not fit is an {@code OverflowError}, never
     * a wrap). Targets: the primitives and their boxes, {@code String}, {@code char},
     * {@code BigInteger}, {@code BigDecimal}, {@code byte[]}, {@code ByteBuffer}, collections, maps,
     * arrays, {@code Optional}, records, enums, {@code java.time} types, {@code UUID}, {@code Path},
     * {@code Object} (the natural Java value), typed handles (as {@link #as(Class)}) and any type
     * with a registered {@link PyConverter}. The README has the full table.
     *
     * @param <T> the Java type
     * @param type the Java class to convert to
     * @return the converted value
     * @throws dev.pyjama.exceptions.PyTypeError if the object is not of a kind that converts to {@code type}
     * @throws dev.pyjama.exceptions.PyOverflowError if a number does not fit {@code type}
     */
    public <T> T toJava(Class<T> type) {
        long self = ptr();
        Objects.requireNonNull(type, "type");
        if (!type.isPrimitive() && PyObject.class.isAssignableFrom(type)) {
            return type.cast(as(type.asSubclass(PyObject.class)));
        }
        return Conversions.toJava(self, type);
    }

    /**
     * Converts the object to a generic Java type, deeply:
     * {@code obj.toJava(new TypeRef<List<Map<String, Long>>>() {})}. A wrong element fails with the
     * path to it, e.g. {@code [3]["x"]: expected int, got str}.
     *
     * @param <T> the Java type
     * @param type the captured generic type
     * @return the converted value
     * @throws dev.pyjama.exceptions.PyTypeError if some part does not convert, naming its path
     */
    @SuppressWarnings("unchecked")
    public <T> T toJava(TypeRef<T> type) {
        long self = ptr();
        return (T) Conversions.toJava(self, Objects.requireNonNull(type, "type").type());
    }

    /**
     * Runs this awaitable (a coroutine, an asyncio task or future, any object with
     * {@code __await__}) on an asyncio event loop and returns its result as a Java future,
     * converted to {@code type} as {@link #toJava(Class)} converts ({@code Object} for the natural
     * Java value, {@code Py.class} to keep the Python object).
     *
     * <p>Which loop: when Python code running in an event loop on this thread called the Java code
     * that asks (Python, then Java, then {@code toFuture}), that loop; otherwise pyjama's own loop,
     * which pyjama starts on first use on a platform thread of its own ({@code pyjama-asyncio}, one
     * per interpreter) and stops at the JVM's exit, cancelling the tasks still running. The method
     * returns at once; the awaitable runs while the loop's thread holds the GIL.
     *
     * <ul>
     *   <li>A Python exception completes the future exceptionally with pyjama's exception class
     *       for it (the one a call would throw: {@code PyValueError}, ...); a Java exception that
     *       went through Python, as itself.</li>
     *   <li>Cancelling the future ({@code cancel(true)} or {@code cancel(false)}) cancels the task;
     *       a task cancelled in Python cancels the future.</li>
     *   <li>{@code join()} and {@code get()} never hold the GIL while they wait: on a thread inside
     *       {@link Python#attach} they release it for the wait, as {@link Python#detach} does, from
     *       platform and virtual threads alike. Waiting on the loop's own thread would never end
     *       and throws {@link IllegalStateException}: await in Python, or chain a stage.</li>
     *   <li>Dependent stages without an executor ({@code thenApply}, {@code whenComplete}) run on
     *       the loop's thread when the task ends; give long work an executor ({@code thenApplyAsync}).</li>
     * </ul>
     *
     * {@snippet :
     * CompletableFuture<Long> f = Python.attach(py -> {
     *     py.run("import asyncio\nasync def answer(x):\n    await asyncio.sleep(0.01)\n    return x * 2");
     *     return py.eval("answer(21)").toFuture(Long.class);
     * });
     * long v = f.join(); // 42, waited for without the GIL
     * }
     *
     * @param <T> the Java type of the result
     * @param type the class to convert the result to (not a {@code PyObject} handle class, which
     *     would be bound to a scope that has ended by then: use {@code Py.class})
     * @return the future of the converted result
     * @throws IllegalArgumentException if {@code type} is a {@code PyObject} handle class
     * @throws dev.pyjama.exceptions.PyTypeError if this object is not awaitable
     */
    public <T> CompletableFuture<T> toFuture(Class<T> type) {
        long self = ptr();
        checkDetachedType(type);
        return Awaitables.submit(self, type);
    }

    /**
     * This async iterable (an async generator, any object with {@code __aiter__}) as a blocking
     * Java {@link Iterator}: each {@code hasNext()} runs the next step ({@code __anext__}) on the
     * event loop as {@link #toFuture} does and waits for it without the GIL, and each item converts
     * to {@code type} as {@link #toJava(Class)} converts. The iterator is not bound to this scope
     * or thread (it keeps the iterable alive as a {@link Py} does, until it ends or is collected);
     * use it from one thread at a time. A Python exception raised by a step is thrown by
     * {@code hasNext()} or {@code next()} as pyjama's exception class.
     *
     * <p>Why a blocking iterator rather than a {@code Flow.Publisher}: the loop runs one step per
     * request anyway, a Java caller usually consumes in a loop, and an iterator from a virtual
     * thread costs no platform thread while it waits; wrap it for a publisher if one is needed.
     *
     * {@snippet :
     * Iterator<Long> ticks = py.eval("ticker(3)").asyncIterator(Long.class); // an async generator
     * while (ticks.hasNext()) {
     *     System.out.println(ticks.next());
     * }
     * }
     *
     * @param <T> the Java type of the items
     * @param type the class to convert each item to (not a {@code PyObject} handle class; use {@code Py.class})
     * @return the iterator
     * @throws IllegalArgumentException if {@code type} is a {@code PyObject} handle class
     * @throws dev.pyjama.exceptions.PyTypeError if this object is not an async iterable
     */
    public <T> Iterator<T> asyncIterator(Class<T> type) {
        checkDetachedType(type);
        PyObject aiter = callMethod("__aiter__");
        return new AsyncIterator<>(aiter.unbind(), type);
    }

    private static void checkDetachedType(Class<?> type) {
        Objects.requireNonNull(type, "type");
        if (PyObject.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("a result that arrives later cannot be a " + type.getSimpleName()
                    + " handle (bound to a scope that has ended by then): use Py.class, or a Java type");
        }
    }

    /**
     * This object as a Java interface: a proxy whose methods call the object's attribute of the
     * same name, or its snake_case form ({@code compareTo} finds {@code compare_to}), converting the
     * arguments to Python and the result to the method's (generic) return type. A default method
     * runs when the object lacks the attribute; the single abstract method of a functional
     * interface calls the object itself when it is callable and lacks the attribute; an attribute
     * that is not callable is the result of a method without parameters. {@code equals} and
     * {@code hashCode} are Python identity, {@code toString} is {@code str(obj)}.
     *
     * <p>The proxy is not bound to this scope or thread: it keeps the object alive as a
     * {@link Py} does (released by the garbage collector), and each call attaches by itself, from
     * any thread, virtual threads included. A Python exception raised by a call arrives as the
     * matching {@code dev.pyjama.exceptions} class; a Java exception that went through Python as
     * itself (a checked one only if the method declares it, else wrapped in
     * {@link java.lang.reflect.UndeclaredThrowableException}). Given back to Python (as an argument,
     * a result), the proxy is the original object again.
     *
     * {@snippet :
     * Comparator<String> byLength = py.eval("lambda a, b: len(a) - len(b)").asInterface(Comparator.class);
     * Pricing pricing = py.importModule("pricing").asInterface(Pricing.class); // a module's functions
     * }
     *
     * @param <T> the interface
     * @param type the interface to implement
     * @return the proxy
     * @throws IllegalArgumentException if {@code type} is not an interface, or is a sealed one, or one
     *     of its methods returns a {@code PyObject} handle (which would be dead on return; declare
     *     {@code Py<...>} instead)
     */
    public <T> T asInterface(Class<T> type) {
        long self = ptr();
        Objects.requireNonNull(type, "type");
        return type.cast(InterfaceProxies.newProxy(self, type, type));
    }

    /**
     * This object as a typed handle ({@code obj.as(PyModule.class)}), checking its Python type.
     *
     * @param <T> the handle type
     * @param type the handle class
     * @return a handle of that class to the same object, in the innermost scope
     * @throws ClassCastException naming both types when the object is not of that Python type
     */
    public <T extends PyObject> T as(Class<T> type) {
        long self = ptr();
        Objects.requireNonNull(type, "type");
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        Handles.checkKind(self, type);
        CApi.incRef(self);
        return Handles.wrap(scope.innermost(), self, type);
    }

    /**
     * This object as a typed handle, if its Python type allows it.
     *
     * @param <T> the handle type
     * @param type the handle class
     * @return the typed handle, or empty when the object is not of that Python type
     */
    public <T extends PyObject> Optional<T> tryAs(Class<T> type) {
        long self = ptr();
        Objects.requireNonNull(type, "type");
        if (type.isInstance(this)) {
            return Optional.of(type.cast(this));
        }
        if (!Handles.isKind(self, type)) {
            return Optional.empty();
        }
        CApi.incRef(self);
        return Optional.of(Handles.wrap(scope.innermost(), self, type));
    }

    /**
     * A new strong reference to this object that is not bound to any scope or thread
     * (PyO3's {@code Py<T>}); it stays valid until closed or garbage collected.
     *
     * @return the unbound reference
     */
    @SuppressWarnings("unchecked")
    public Py<PyObject> unbind() {
        long self = ptr();
        CApi.incRef(self);
        return new Py<>((Class<PyObject>) getClass(), self);
    }

    /**
     * A new unbound reference typed as {@code type} ({@code Py<PyModule> np =
     * py.importModule("numpy").unbind(PyModule.class)}), checking the Python type as {@link #as}.
     *
     * @param <T> the handle type that {@link Py#bind} will return
     * @param type the handle class
     * @return the unbound reference
     * @throws ClassCastException if the object is not of that Python type
     */
    public <T extends PyObject> Py<T> unbind(Class<T> type) {
        long self = ptr();
        Objects.requireNonNull(type, "type");
        if (!type.isInstance(this)) {
            Handles.checkKind(self, type);
        }
        CApi.incRef(self);
        return new Py<>(type, self);
    }

    /**
     * Releases this handle's reference now rather than when its scope closes. Idempotent; using
     * the handle afterwards throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        scope.check();
        if (!closed) {
            closed = true;
            scope.release(slot);
        }
    }

    /** Python identity: true when {@code other} is a handle to the same object ({@code is}). */
    @Override
    public final boolean equals(Object other) {
        return other instanceof PyObject o && o.address == address;
    }

    /** Consistent with {@link #equals}: derived from the object's identity ({@code id()}). */
    @Override
    public final int hashCode() {
        return Long.hashCode(address);
    }
}
