package dev.pyjama.internal.bridge;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.pyjama.HostAccess;
import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.exceptions.PyIndexError;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.exceptions.PyPermissionError;
import dev.pyjama.exceptions.PyStopIteration;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.PendingError;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.TypeChecks;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.SupportModule;
import dev.pyjama.internal.runtime.Upcalls;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Java objects in Python: the {@code pyjama.JavaObject} proxies (and the {@code JavaList} /
 * {@code JavaMap} live views, the {@code JavaClass} of {@code java_class}), and the one Java
 * function, {@code pyjama._jcall(op, ref, *args)}, through which they reach Java.
 *
 * <p>A proxy holds its Java object through a capsule ({@link Upcalls#newObjectCapsuleOrZero}): a
 * strong reference that Python's release of the proxy drops. Every operation checks the host
 * access policy ({@link Policy}) when it runs. Attribute lookup finds public methods and fields
 * ({@link Members}); a call picks the overload whose parameters fit the Python arguments best,
 * scored by the conversions that would apply, and an ambiguous or impossible call is a
 * {@code TypeError} listing the candidates. A Java exception thrown by a method reaches Python as
 * {@code pyjama.JavaException} (the function machinery's rule), and Java again as itself.
 */
public final class JavaObjects {

    // The operations of _jcall, as the Python classes in the support module number them.
    private static final int GETATTR = 0;
    private static final int INVOKE = 1;
    private static final int SETATTR = 2;
    private static final int STR = 3;
    private static final int REPR = 4;
    private static final int EQ = 5;
    private static final int HASH = 6;
    private static final int LEN = 7;
    private static final int GETITEM = 8;
    private static final int SETITEM = 9;
    private static final int DELITEM = 10;
    private static final int CONTAINS = 11;
    private static final int ITER = 12;
    private static final int NEXT = 13;
    private static final int BOOL = 14;
    private static final int CALL = 15;
    private static final int ENTER = 16;
    private static final int CLOSE = 17;
    private static final int COMPARE = 18;
    private static final int DIR = 19;
    private static final int CLASS = 20;
    private static final int NEW = 21;
    private static final int INSERT = 22;
    private static final int PACKAGE_ROOTS = 23;

    /** What {@code java_class} hands Python: a class, with all its static members or only the {@code @PyExport} ones. */
    record StaticRef(Class<?> type, boolean whole) {}

    /** Methods of one name of one class under one policy, known to Python by an id (their index in {@link #bound}). */
    private record Bound(Class<?> type, Policy policy, String name, List<Method> candidates, String what, Method single,
            Type[] params) {}

    // Bound methods by id. Written under BOUND_LOCK (a plain store, then the array published through
    // the volatile field); read without a lock on every call of a Java method from Python.
    private static final Object BOUND_LOCK = new Object();
    private static volatile Bound[] bound = new Bound[64];
    private static int boundCount;

    /** Registers the instance methods {@code name} of {@code type} (as {@code policy} sees them); returns their id. */
    static int register(Class<?> type, String name, List<Method> candidates, Policy policy) {
        // One method without varargs (the common case) needs no overload resolution: kept ready.
        Method single = candidates.size() == 1 && !candidates.get(0).isVarArgs() ? candidates.get(0) : null;
        Bound b = new Bound(type, policy, name, candidates, type.getSimpleName() + "." + name, single,
                single == null ? null : single.getGenericParameterTypes());
        synchronized (BOUND_LOCK) {
            Bound[] a = bound;
            int id = boundCount++;
            if (id == a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[id] = b;
            bound = a;
            return id;
        }
    }

    /** The bound methods {@code key} (a Python int) names, or null. */
    private static Bound bound(long key) {
        long id = Conversions.toLong(key);
        Bound[] a = bound;
        return id >= 0 && id < a.length ? a[(int) id] : null;
    }

    /** An array seen as an Iterator (Python iterates arrays through one). */
    private static final class ArrayIterator implements Iterator<Object> {
        private final Object array;
        private int next;

        ArrayIterator(Object array) {
            this.array = array;
        }

        @Override
        public boolean hasNext() {
            return next < Array.getLength(array);
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return Array.get(array, next++);
        }
    }

    private JavaObjects() {}

    /** Whether {@code pyjama._jcall} exists (made once per interpreter, on first need). */
    private static volatile boolean installed;

    /**
     * Makes {@code pyjama._jcall}, through which Java objects in Python reach Java, unless it
     * exists: before the first Java object reaches Python, and when the application sets a policy
     * (so that {@code java_class} works). Not at start: the start path stays free of it. The
     * caller is attached.
     */
    public static void ensureInstalled() {
        if (installed) {
            return;
        }
        // No lock: a thread waiting for one while attached could hold up a free-threaded build's
        // stop-the-world pause. Two threads racing here both set the attribute; either function
        // serves, and the one replaced is freed with its body.
        long fn = Upcalls.newFunction("_jcall", null, new Dispatch());
        try {
            CApi.setAttr(SupportModule.get(), Names.get("_jcall"), fn);
        } finally {
            CApi.decRef(fn);
        }
        installed = true;
    }

    /** The body of {@code pyjama._jcall}. */
    private static final class Dispatch implements Upcalls.RawBody {
        @Override
        public long call(long args, long nargs, long kwnames) {
            return dispatch(args, nargs, kwnames);
        }
    }

    /** Puts {@code access} in force for every operation from now on. */
    public static void setPolicy(HostAccess access) {
        Policy.set(Objects.requireNonNull(access, "access"));
    }

    // --- the Python classes (borrowed; kept for the interpreter's life) ---

    private static volatile long objectType;
    private static volatile long listType;
    private static volatile long mapType;
    private static volatile long classType;
    private static volatile long wrapFunction;

    private static long objectType() {
        long t = objectType;
        if (t == 0) {
            ensureInstalled();
            listType = SupportModule.newAttr("JavaList");
            mapType = SupportModule.newAttr("JavaMap");
            classType = SupportModule.newAttr("JavaClass");
            wrapFunction = SupportModule.newAttr("_wrap");
            objectType = t = SupportModule.newAttr("JavaObject");
        }
        return t;
    }

    /** Whether {@code o} (borrowed) is exactly one of the Java object proxy types. */
    private static boolean isProxy(long o) {
        long t = CApi.borrowedType(o);
        long jo = objectType;
        if (jo == 0) {
            return false; // none made yet: nothing can be one
        }
        return t == jo || t == listType || t == mapType;
    }

    /** Marks "not a Java object" for {@link #heldBy}. */
    public static final Object NOT_JAVA = new Object();

    /**
     * The Java object a {@code pyjama.JavaObject} (or view) holds, or {@link #NOT_JAVA} when
     * {@code o} (borrowed) is no such proxy: a proxy passed back to Java is its Java object again.
     */
    public static Object heldBy(long o) {
        if (!isProxy(o)) {
            return NOT_JAVA;
        }
        long ref = CApi.newGetAttrOrZero(o, Names.get("_pyjama_ref"));
        if (ref == 0) {
            return NOT_JAVA;
        }
        try {
            Object v = Upcalls.objectHeldBy(ref);
            return v == null || v instanceof StaticRef ? NOT_JAVA : v;
        } finally {
            CApi.decRef(ref);
        }
    }

    /** A new reference to a {@code pyjama.JavaObject} holding {@code value}, if the policy lets Python hold it. */
    public static long newProxy(Object value) {
        Objects.requireNonNull(value, "value");
        Policy.current().checkWrap(value.getClass());
        return newInstance(objectType(), value);
    }

    /**
     * A new reference to a live view of {@code value}: a {@code pyjama.JavaList}
     * ({@code MutableSequence}) over a List, a {@code pyjama.JavaMap} ({@code MutableMapping}) over a Map.
     */
    public static long newView(Object value) {
        Objects.requireNonNull(value, "value");
        Policy.current().checkWrap(value.getClass());
        objectType();
        if (value instanceof List<?>) {
            return newInstance(listType, value);
        }
        if (value instanceof Map<?, ?>) {
            return newInstance(mapType, value);
        }
        throw new IllegalArgumentException("a view is of a java.util.List or a java.util.Map, not a "
                + value.getClass().getName() + " (py.wrap gives any object to Python as itself)");
    }

    private static long newInstance(long cls, Object value) {
        long capsule = Upcalls.newObjectCapsuleOrZero(value);
        if (capsule == 0) {
            throw PendingError.fetch();
        }
        long args = CApi.newTuple(2);
        CApi.tupleSetStolen(args, 0, CApi.newRef(cls));
        CApi.tupleSetStolen(args, 1, capsule);
        try {
            return CApi.newCall(wrapFunction, args, 0);
        } finally {
            CApi.decRef(args);
        }
    }

    // --- _jcall ---

    private static long arg(long args, long i) {
        return CApi.ALL.get(JAVA_LONG_UNALIGNED, args + 8 * i);
    }

    private static long dispatch(long args, long nargs, long kwnames) {
        if (kwnames != 0 && CApi.tupleSize(kwnames) > 0) {
            throw new PyTypeError("Java methods take no keyword arguments");
        }
        if (nargs < 2) {
            throw new PyTypeError("_jcall(op, ref, *args)");
        }
        int op = (int) Conversions.toLong(arg(args, 0));
        long ref = arg(args, 1);
        long rest = args + 16;
        int n = (int) nargs - 2;
        Policy policy = Policy.current();
        if (op == PACKAGE_ROOTS) {
            return Conversions.newToPython(policy.packageRoots());
        }
        if (op == CLASS) {
            String name = n == 1 && CApi.isStr(arg(rest, 0)) ? Strings.toJava(arg(rest, 0)) : null;
            StaticRef s = policy.lookup(name);
            objectType();
            return newInstance(classType, s);
        }
        Object target = CApi.isNone(ref) ? null : Upcalls.objectHeldBy(ref);
        if (target == null) {
            throw new PyTypeError("not a Java object");
        }
        if (op == INVOKE && n >= 1 && !CApi.isStr(arg(rest, 0))) {
            Bound b = bound(arg(rest, 0));
            // The id names these very methods, of this class under the policy in force, which let
            // Python hold the class when it listed them: nothing to look up or check again.
            if (b != null && b.policy() == policy && b.type() == target.getClass()) {
                return b.single() != null && b.params().length == n - 1
                        ? invokeSingle(b.single(), b.params(), target, rest + 8)
                        : invoke(b.what(), b.candidates(), target, rest + 8, n - 1);
            }
        }
        if (target instanceof StaticRef s) {
            return staticOp(policy, s, op, rest, n);
        }
        if (target.getClass() != ArrayIterator.class && policy.deniedType(target.getClass())) {
            // Held from before a narrower policy came into force: the policy of now decides.
            policy.checkWrap(target.getClass());
        }
        Members members = policy.members.get(target.getClass());
        return switch (op) {
            case GETATTR -> getAttr(target, members, Strings.toJava(arg(rest, 0)));
            case INVOKE -> {
                long key = arg(rest, 0);
                if (!CApi.isStr(key)) {
                    // The id of a bound method Python cached under another policy, or of another
                    // class: the methods of its name are looked up again under the policy of now.
                    Bound b = bound(key);
                    if (b == null) {
                        throw new PyTypeError("not a Java method");
                    }
                    List<Method> candidates = members.methods.get(b.name());
                    if (candidates == null) {
                        throw noAttribute(target.getClass(), b.name());
                    }
                    yield invoke(b.what(), candidates, target, rest + 8, n - 1);
                }
                String name = Strings.toJava(key);
                List<Method> candidates = members.methods.get(name);
                if (candidates == null) {
                    throw noAttribute(target.getClass(), name);
                }
                yield invoke(members.type.getSimpleName() + "." + name, candidates, target, rest + 8, n - 1);
            }
            case SETATTR -> setField(members, target, Strings.toJava(arg(rest, 0)), arg(rest, 1));
            case STR -> Strings.newStr(String.valueOf(target));
            case REPR -> Strings.newStr("<java " + target.getClass().getName() + ": " + shortString(target) + ">");
            case EQ -> bool(Objects.equals(target, toJavaNatural(arg(rest, 0))));
            case HASH -> Conversions.newToPython((long) target.hashCode());
            case LEN -> Conversions.newToPython(length(target));
            case GETITEM -> getItem(target, arg(rest, 0));
            case SETITEM -> setItem(target, arg(rest, 0), arg(rest, 1));
            case DELITEM -> delItem(target, arg(rest, 0));
            case CONTAINS -> bool(contains(target, arg(rest, 0)));
            case ITER -> iter(target);
            case NEXT -> next(target);
            case BOOL -> bool(truth(target));
            case CALL -> {
                if (members.functional == null) {
                    throw new PyTypeError("'" + target.getClass().getName() + "' Java object is not callable"
                            + " (only objects of a @FunctionalInterface are)");
                }
                yield invoke(members.type.getSimpleName() + "." + members.functional.getName(),
                        List.of(members.functional), target, rest, n);
            }
            case ENTER -> {
                if (!(target instanceof AutoCloseable)) {
                    throw new PyTypeError("'" + target.getClass().getName()
                            + "' Java object does not support the context manager protocol (it is not AutoCloseable)");
                }
                yield CApi.newRef(Abi.none());
            }
            case CLOSE -> {
                try {
                    ((AutoCloseable) target).close();
                } catch (Exception e) {
                    throw sneaky(e);
                }
                yield CApi.newRef(Abi.none());
            }
            case COMPARE -> Conversions.newToPython((long) compare(target, arg(rest, 0)));
            case DIR -> Conversions.newToPython(members.names());
            case INSERT -> insert(target, arg(rest, 0), arg(rest, 1));
            default -> throw new PyTypeError("unknown operation " + op);
        };
    }

    private static long staticOp(Policy policy, StaticRef s, int op, long rest, int n) {
        Members members = policy.statics.get(s.type());
        return switch (op) {
            case GETATTR -> {
                String name = Strings.toJava(arg(rest, 0));
                if (exported(s, members.methods.get(name))) {
                    yield methodMarker();
                }
                Field f = members.fields.get(name);
                if (f == null || !s.whole() && !f.isAnnotationPresent(dev.pyjama.PyExport.class)) {
                    throw new PyAttributeError("Java class " + s.type().getName() + " has no public static method or field '"
                            + name + "' that Python may use");
                }
                yield pair(false, getFieldValue(f, null));
            }
            case INVOKE -> {
                String name = Strings.toJava(arg(rest, 0));
                List<Method> candidates = members.methods.get(name);
                if (!exported(s, candidates)) {
                    throw new PyAttributeError("Java class " + s.type().getName() + " has no public static method '" + name
                            + "' that Python may use");
                }
                yield invoke(s.type().getSimpleName() + "." + name, exportedOnly(s, candidates), null, rest + 8, n - 1);
            }
            case SETATTR -> {
                String name = Strings.toJava(arg(rest, 0));
                Field f = members.fields.get(name);
                if (f == null || !s.whole() && !f.isAnnotationPresent(dev.pyjama.PyExport.class)) {
                    throw new PyAttributeError("Java class " + s.type().getName() + " has no public static field '" + name + "'");
                }
                yield setField(f, null, arg(rest, 1));
            }
            case NEW -> {
                List<Constructor<?>> ks = exportedOnly(s, members.constructors);
                if (ks.isEmpty()) {
                    throw new PyTypeError("Java class " + s.type().getName() + " has no public constructor Python may use");
                }
                Object made = call(ks, null, rest, n, s.type().getSimpleName());
                yield newProxy(made); // a constructed object is the Java object, never a copy
            }
            case REPR -> Strings.newStr("<java class " + s.type().getName() + ">");
            case STR -> Strings.newStr("<java class " + s.type().getName() + ">");
            case DIR -> {
                List<String> names = new ArrayList<>();
                members.methods.forEach((k, v) -> {
                    if (exported(s, v)) {
                        names.add(k);
                    }
                });
                members.fields.forEach((k, f) -> {
                    if (s.whole() || f.isAnnotationPresent(dev.pyjama.PyExport.class)) {
                        names.add(k);
                    }
                });
                yield Conversions.newToPython(names.stream().sorted().toList());
            }
            default -> throw new PyTypeError("a Java class supports attribute access and calls only");
        };
    }

    private static boolean exported(StaticRef s, List<? extends Executable> es) {
        return es != null && !exportedOnly(s, es).isEmpty();
    }

    private static <E extends Executable> List<E> exportedOnly(StaticRef s, List<E> es) {
        if (s.whole()) {
            return es;
        }
        return es.stream().filter(e -> e.isAnnotationPresent(dev.pyjama.PyExport.class)).toList();
    }

    // --- attributes ---

    private static long getAttr(Object target, Members members, String name) {
        Integer id = members.ids.get(name);
        if (id != null) {
            return pair(true, Conversions.newToPython((long) id)); // Python's bound method passes the id back
        }
        Field f = members.fields.get(name);
        if (f == null) {
            throw noAttribute(target.getClass(), name);
        }
        return pair(false, getFieldValue(f, target));
    }

    private static PyAttributeError noAttribute(Class<?> c, String name) {
        return new PyAttributeError("'" + c.getName() + "' Java object has no attribute '" + name
                + "' (Python sees public methods and fields that pyjama's host access policy allows)");
    }

    private static long methodMarker() {
        long t = CApi.newTuple(2);
        CApi.tupleSetStolen(t, 0, CApi.newRef(Abi.trueObj()));
        CApi.tupleSetStolen(t, 1, CApi.newRef(Abi.none()));
        return t;
    }

    private static long pair(boolean method, long stolenValue) {
        long t = CApi.newTuple(2);
        CApi.tupleSetStolen(t, 0, CApi.newRef(method ? Abi.trueObj() : Abi.falseObj()));
        CApi.tupleSetStolen(t, 1, stolenValue);
        return t;
    }

    private static long getFieldValue(Field f, Object target) {
        try {
            return Conversions.newToPython(f.get(target));
        } catch (IllegalAccessException e) {
            throw new PyPermissionError("cannot read " + f + ": " + e.getMessage());
        }
    }

    private static long setField(Members members, Object target, String name, long value) {
        Field f = members.fields.get(name);
        if (f == null) {
            throw noAttribute(target.getClass(), name);
        }
        return setField(f, target, value);
    }

    private static long setField(Field f, Object target, long value) {
        if (Modifier.isFinal(f.getModifiers())) {
            throw new PyAttributeError("Java field " + f.getDeclaringClass().getSimpleName() + "." + f.getName() + " is final");
        }
        try {
            f.set(target, Conversions.toJava(value, f.getGenericType()));
        } catch (IllegalAccessException e) {
            throw new PyPermissionError("cannot write " + f + ": " + e.getMessage());
        }
        return CApi.newRef(Abi.none());
    }

    // --- calls and overloads ---

    private static long invoke(String what, List<Method> candidates, Object target, long args, int n) {
        Method m = (Method) choose(what, candidates, args, n);
        Object[] javaArgs = convertArgs(m, args, n);
        Object result;
        try {
            result = m.invoke(target, javaArgs);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new PyPermissionError("cannot call " + m + ": " + e.getMessage());
        }
        if (m.getReturnType() == void.class) {
            return CApi.newRef(Abi.none());
        }
        return Conversions.newToPython(result);
    }

    private static final Object[] NO_ARGS = {};

    /** {@link #invoke} for a method known to be the only candidate, with its generic parameter types at hand. */
    private static long invokeSingle(Method m, Type[] params, Object target, long args) {
        Object[] javaArgs = params.length == 0 ? NO_ARGS : new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            javaArgs[i] = convertArg(m, i, arg(args, i), params[i]);
        }
        Object result;
        try {
            result = m.invoke(target, javaArgs);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new PyPermissionError("cannot call " + m + ": " + e.getMessage());
        }
        return m.getReturnType() == void.class ? CApi.newRef(Abi.none()) : Conversions.newToPython(result);
    }

    private static Object call(List<Constructor<?>> candidates, Object unused, long args, int n, String what) {
        Constructor<?> k = (Constructor<?>) choose(what, candidates, args, n);
        Object[] javaArgs = convertArgs(k, args, n);
        try {
            return k.newInstance(javaArgs);
        } catch (InvocationTargetException e) {
            throw sneaky(e.getCause());
        } catch (IllegalAccessException | InstantiationException e) {
            throw new PyPermissionError("cannot construct " + k + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t; // the Java exception itself crosses into Python, and comes back to Java as itself
    }

    /** The overload whose parameters fit the arguments best; TypeError with the candidates when none or several do. */
    static Executable choose(String what, List<? extends Executable> candidates, long args, int n) {
        Executable only = null;
        int arityMatches = 0;
        for (Executable e : candidates) {
            if (fitsArity(e, n)) {
                arityMatches++;
                only = e;
            }
        }
        if (arityMatches == 1 && !only.isVarArgs()) {
            return only; // the common case: nothing to weigh; the conversion says if an argument is wrong
        }
        Executable best = null;
        int bestScore = -1;
        boolean tie = false;
        for (Executable e : candidates) {
            if (!fitsArity(e, n)) {
                continue;
            }
            int s = score(e, args, n);
            if (s < 0) {
                continue;
            }
            if (s > bestScore) {
                best = e;
                bestScore = s;
                tie = false;
            } else if (s == bestScore) {
                if (moreSpecific(e, best)) {
                    best = e;
                    tie = false;
                } else if (!moreSpecific(best, e)) {
                    tie = true;
                }
            }
        }
        if (best == null || tie) {
            StringBuilder sb = new StringBuilder();
            sb.append(best == null ? "no overload of " : "ambiguous call of ").append(what).append(" matches (");
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ", ").append(TypeChecks.typeName(arg(args, i)));
            }
            sb.append("); candidates: ");
            for (int i = 0; i < candidates.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(Members.describe(candidates.get(i)));
            }
            throw new PyTypeError(sb.toString());
        }
        return best;
    }

    private static boolean fitsArity(Executable e, int n) {
        int p = e.getParameterCount();
        return p == n || e.isVarArgs() && n >= p - 1;
    }

    /** Whether every parameter of {@code a} is assignable to the matching one of {@code b} (Java's most specific rule, simplified). */
    private static boolean moreSpecific(Executable a, Executable b) {
        Class<?>[] pa = a.getParameterTypes();
        Class<?>[] pb = b.getParameterTypes();
        if (pa.length != pb.length) {
            return !a.isVarArgs() && b.isVarArgs();
        }
        boolean strictly = false;
        for (int i = 0; i < pa.length; i++) {
            if (!box(pb[i]).isAssignableFrom(box(pa[i]))) {
                return false;
            }
            strictly |= pa[i] != pb[i];
        }
        return strictly;
    }

    private static int score(Executable e, long args, int n) {
        Class<?>[] p = e.getParameterTypes();
        int total = 0;
        boolean spread = e.isVarArgs() && !(n == p.length && fitsArrayArg(arg(args, n - 1), p[p.length - 1]));
        for (int i = 0; i < n; i++) {
            Class<?> target = spread && i >= p.length - 1 ? p[p.length - 1].getComponentType() : p[i];
            int s = scoreArg(arg(args, i), target);
            if (s < 0) {
                return -1;
            }
            total += s;
        }
        return spread ? total - 1 : total; // a fixed-arity match beats a varargs one
    }

    private static boolean fitsArrayArg(long o, Class<?> arrayType) {
        Object held = heldBy(o);
        if (held != NOT_JAVA) {
            return arrayType.isInstance(held);
        }
        return TypeChecks.isList(o) || TypeChecks.isTuple(o) || CApi.isNone(o);
    }

    /** The class itself, or its box when it is primitive ({@code int} to {@code Integer}). */
    private static Class<?> box(Class<?> c) {
        return c.isPrimitive() ? java.lang.invoke.MethodType.methodType(c).wrap().returnType() : c;
    }

    /** How well the Python argument {@code o} fits a Java parameter of class {@code p}: -1 not at all, higher better. */
    static int scoreArg(long o, Class<?> p) {
        if (PyObject.class.isAssignableFrom(p) || p == Py.class) {
            return 1;
        }
        Object held = heldBy(o);
        if (held != NOT_JAVA) {
            if (held.getClass() == p || p.isPrimitive() && box(p) == held.getClass()) {
                return 6;
            }
            return box(p).isInstance(held) ? (p == Object.class ? 3 : 5) : -1;
        }
        if (CApi.isNone(o)) {
            return p.isPrimitive() ? -1 : p == Optional.class ? 3 : 1;
        }
        if (TypeChecks.isBool(o)) {
            return p == boolean.class || p == Boolean.class ? 6 : p == Object.class ? 2 : -1;
        }
        if (TypeChecks.isInt(o)) {
            if (p == long.class || p == Long.class) {
                return fits(o, long.class) ? 6 : -1;
            }
            if (p == int.class || p == Integer.class) {
                return fits(o, int.class) ? 5 : -1;
            }
            if (p == short.class || p == Short.class || p == byte.class || p == Byte.class) {
                return fits(o, p) ? 4 : -1;
            }
            if (p == BigInteger.class) {
                return 4;
            }
            if (p == double.class || p == Double.class || p == float.class || p == Float.class) {
                return 2;
            }
            if (p == Number.class || p == BigDecimal.class) {
                return 3;
            }
            return p == Object.class ? 2 : -1;
        }
        if (TypeChecks.isFloat(o)) {
            if (p == double.class || p == Double.class) {
                return 6;
            }
            if (p == float.class || p == Float.class) {
                return 4;
            }
            if (p == Number.class || p == BigDecimal.class) {
                return 3;
            }
            return p == Object.class ? 2 : -1;
        }
        if (TypeChecks.isStr(o)) {
            if (p == String.class) {
                return 6;
            }
            if (p == CharSequence.class) {
                return 5;
            }
            if (p == char.class || p == Character.class) {
                return CApi.size(o) == 1 ? 4 : -1;
            }
            if (p.isEnum() || p == java.nio.file.Path.class) {
                return 3;
            }
            return p == Object.class || p == Comparable.class || p == java.io.Serializable.class ? 2 : -1;
        }
        if (TypeChecks.isBytes(o) || TypeChecks.isByteArray(o)) {
            return p == byte[].class ? 6 : p == ByteBuffer.class ? 4 : p == Object.class ? 2 : -1;
        }
        if (TypeChecks.isDict(o)) {
            return Map.class.isAssignableFrom(p) ? 5 : p.isRecord() ? 3 : p == Object.class ? 2 : -1;
        }
        if (TypeChecks.isList(o) || TypeChecks.isTuple(o)) {
            if (p == List.class || p == Collection.class || p == Iterable.class) {
                return 5;
            }
            if (p.isArray() || Collection.class.isAssignableFrom(p)) {
                return 4;
            }
            return p == Object.class ? 2 : -1;
        }
        if (TypeChecks.isSet(o) || TypeChecks.isFrozenSet(o)) {
            if (Set.class.isAssignableFrom(p)) {
                return 5;
            }
            if (p == Collection.class || p == Iterable.class || p.isArray() || Collection.class.isAssignableFrom(p)) {
                return 4;
            }
            return p == Object.class ? 2 : -1;
        }
        // Any other Python object: an interface it may implement (a callable for a functional one),
        // a type a converter or a record conversion may accept; the conversion has the last word.
        if (p.isPrimitive() || p == String.class || Number.class.isAssignableFrom(p) || p == Boolean.class
                || p == Character.class) {
            return -1;
        }
        if (InterfaceProxies.canImplement(p)) {
            return InterfaceProxies.singleAbstractMethod(p) != null ? (CApi.isCallable(o) ? 4 : 1) : 2;
        }
        return p == Object.class ? 2 : 1;
    }

    private static boolean fits(long o, Class<?> c) {
        try {
            Conversions.toJava(o, c);
            return true;
        } catch (PyOverflowError e) {
            return false;
        }
    }

    private static Object[] convertArgs(Executable e, long args, int n) {
        Type[] types = e.getGenericParameterTypes();
        int p = types.length;
        boolean spread = e.isVarArgs() && !(n == p && fitsArrayArg(arg(args, n - 1), e.getParameterTypes()[p - 1]));
        Object[] out = new Object[p];
        int fixed = spread ? p - 1 : p;
        for (int i = 0; i < fixed; i++) {
            out[i] = convertArg(e, i, arg(args, i), types[i]);
        }
        if (spread) {
            Class<?> component = e.getParameterTypes()[p - 1].getComponentType();
            Object rest = Array.newInstance(component, n - fixed);
            for (int i = fixed; i < n; i++) {
                Array.set(rest, i - fixed, convertArg(e, i, arg(args, i), component));
            }
            out[p - 1] = rest;
        }
        return out;
    }

    private static Object convertArg(Executable e, int i, long o, Type type) {
        try {
            return Conversions.toJava(o, type);
        } catch (PyTypeError | IllegalArgumentException x) {
            throw new PyTypeError(Members.describe(e) + " argument " + (i + 1) + ": " + x.getMessage());
        }
    }

    // --- protocols ---

    private static long bool(boolean b) {
        return CApi.newRef(b ? Abi.trueObj() : Abi.falseObj());
    }

    private static String shortString(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }

    /** A Python value as Java sees it in an untyped place (a List element, a Map key): a proxy's object, else the natural value. */
    private static Object toJavaNatural(long o) {
        Object held = heldBy(o);
        return held != NOT_JAVA ? held : Conversions.toJava(o, Object.class);
    }

    private static long length(Object t) {
        if (t instanceof Collection<?> c) {
            return c.size();
        }
        if (t instanceof Map<?, ?> m) {
            return m.size();
        }
        if (t.getClass().isArray()) {
            return Array.getLength(t);
        }
        if (t instanceof CharSequence cs) {
            return cs.length();
        }
        throw new PyTypeError("object of type '" + t.getClass().getName() + "' (Java) has no len()");
    }

    private static boolean truth(Object t) {
        if (t instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (t instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (t.getClass().isArray()) {
            return Array.getLength(t) > 0;
        }
        return true;
    }

    private static int index(long key, int size) {
        if (!TypeChecks.isInt(key) || TypeChecks.isBool(key)) {
            throw new PyTypeError("indices must be integers, not " + TypeChecks.typeName(key));
        }
        long i;
        try {
            i = Conversions.toLong(key);
        } catch (PyOverflowError e) {
            throw new PyIndexError("index out of range");
        }
        if (i < 0) {
            i += size;
        }
        if (i < 0 || i >= size) {
            throw new PyIndexError("index out of range");
        }
        return (int) i;
    }

    @SuppressWarnings("unchecked")
    private static long getItem(Object t, long key) {
        if (t instanceof List<?> list) {
            return Conversions.newToPython(list.get(index(key, list.size())));
        }
        if (t instanceof Map<?, ?> map) {
            Object k = toJavaNatural(key);
            Object v = map.get(k);
            if (v == null && !map.containsKey(k)) {
                throw keyError(key);
            }
            return Conversions.newToPython(v);
        }
        if (t.getClass().isArray()) {
            return Conversions.newToPython(Array.get(t, index(key, Array.getLength(t))));
        }
        throw new PyTypeError("'" + t.getClass().getName() + "' Java object is not subscriptable");
    }

    private static PyKeyError keyError(long key) {
        long r = CApi.newRepr(key);
        try {
            return new PyKeyError(Strings.toJava(r));
        } finally {
            CApi.decRef(r);
        }
    }

    @SuppressWarnings("unchecked")
    private static long setItem(Object t, long key, long value) {
        if (t instanceof List<?> list) {
            ((List<Object>) list).set(index(key, list.size()), toJavaNatural(value));
        } else if (t instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).put(toJavaNatural(key), toJavaNatural(value));
        } else if (t.getClass().isArray()) {
            int i = index(key, Array.getLength(t));
            Object held = heldBy(value);
            Array.set(t, i, held != NOT_JAVA ? held : Conversions.toJava(value, t.getClass().getComponentType()));
        } else {
            throw new PyTypeError("'" + t.getClass().getName() + "' Java object does not support item assignment");
        }
        return CApi.newRef(Abi.none());
    }

    private static long delItem(Object t, long key) {
        if (t instanceof List<?> list) {
            list.remove(index(key, list.size()));
        } else if (t instanceof Map<?, ?> map) {
            Object k = toJavaNatural(key);
            if (!map.containsKey(k)) {
                throw keyError(key);
            }
            map.remove(k);
        } else {
            throw new PyTypeError("'" + t.getClass().getName() + "' Java object does not support item deletion");
        }
        return CApi.newRef(Abi.none());
    }

    @SuppressWarnings("unchecked")
    private static long insert(Object t, long index, long value) {
        if (!(t instanceof List<?> list)) {
            throw new PyTypeError("insert needs a Java List");
        }
        long i = Conversions.toLong(index);
        int size = list.size();
        if (i < 0) {
            i = Math.max(0, i + size);
        }
        ((List<Object>) list).add((int) Math.min(i, size), toJavaNatural(value));
        return CApi.newRef(Abi.none());
    }

    private static boolean contains(Object t, long value) {
        if (t instanceof Map<?, ?> map) {
            return map.containsKey(toJavaNatural(value));
        }
        if (t instanceof Collection<?> c) {
            return c.contains(toJavaNatural(value));
        }
        if (t.getClass().isArray()) {
            Object v = toJavaNatural(value);
            for (int i = 0, n = Array.getLength(t); i < n; i++) {
                if (Objects.equals(Array.get(t, i), v)) {
                    return true;
                }
            }
            return false;
        }
        if (t instanceof Iterable<?> it) {
            Object v = toJavaNatural(value);
            for (Object x : it) {
                if (Objects.equals(x, v)) {
                    return true;
                }
            }
            return false;
        }
        throw new PyTypeError("argument of type '" + t.getClass().getName() + "' (Java) is not a container or iterable");
    }

    private static long iter(Object t) {
        if (t instanceof Iterator<?>) {
            return CApi.newRef(Abi.none()); // an iterator is its own
        }
        Iterator<?> it;
        if (t instanceof Map<?, ?> map) {
            it = map.keySet().iterator();
        } else if (t instanceof Iterable<?> iterable) {
            it = iterable.iterator();
        } else if (t.getClass().isArray()) {
            it = new ArrayIterator(t);
        } else {
            throw new PyTypeError("'" + t.getClass().getName() + "' Java object is not iterable");
        }
        return newInstance(objectType(), it); // pyjama's own iterators need no policy check; a collection's are its own
    }

    private static long next(Object t) {
        if (!(t instanceof Iterator<?> it)) {
            throw new PyTypeError("'" + t.getClass().getName() + "' Java object is not an iterator");
        }
        if (!it.hasNext()) {
            throw new PyStopIteration(null);
        }
        return Conversions.newToPython(it.next());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object t, long other) {
        if (!(t instanceof Comparable c)) {
            throw new PyTypeError("'" + t.getClass().getName() + "' Java objects are not ordered (not Comparable)");
        }
        Object o = toJavaNatural(other);
        try {
            return Integer.signum(c.compareTo(o));
        } catch (ClassCastException | NullPointerException e) {
            throw new PyTypeError("cannot compare a " + t.getClass().getName() + " with " + TypeChecks.typeName(other));
        }
    }
}
