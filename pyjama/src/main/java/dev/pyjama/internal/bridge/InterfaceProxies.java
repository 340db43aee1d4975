package dev.pyjama.internal.bridge;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.internal.ApiAccess;
import dev.pyjama.internal.Calls;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.TypeChecks;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.convert.GenericTypes;
import dev.pyjama.internal.runtime.Scope;
import java.lang.ref.Reference;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Python objects as Java interfaces: a {@link Proxy} whose methods call the Python object's
 * attribute of the same name (or its snake_case form), converting the arguments with pyjama's
 * Java-to-Python conversions and the result by the method's generic return type, resolved against
 * the type the proxy was made for ({@code Function<Long, String>.apply} returns a String).
 *
 * <p>A proxy holds its object as a {@link Py} does (an unbound strong reference released by the
 * library's Cleaner), and attaches by itself on every call, so any thread may call it, virtual
 * threads included. Nothing Python-side is cached across calls except names: an attribute added or
 * replaced later is seen by the next call.
 *
 * <p>Lookup, for a method {@code m}: the attribute {@code m}, then {@code snake_case(m)}; when
 * neither exists, the interface's default method if {@code m} has one (run detached from Python:
 * it is Java code and may take its time), else the object itself when it is callable and {@code m}
 * is the interface's single abstract method (so a lambda is a {@code Runnable} or a
 * {@code Comparator}), else {@code AttributeError}. An attribute that is not callable is the
 * result of a method without parameters (a constant, a property).
 */
public final class InterfaceProxies {

    private InterfaceProxies() {}

    /** Returned by {@link Handler#callAttached} when the Java default method is to run instead. */
    private static final Object RUN_DEFAULT = new Object();

    private static final Object[] NO_ARGS = {};

    /**
     * The types (by {@code __name__}) whose instances stand for themselves as a functional
     * interface: Python's functions and lambdas, C functions, bound methods, partials.
     */
    private static final java.util.Set<String> PLAIN_FUNCTIONS = java.util.Set.of(
            "function", "builtin_function_or_method", "method", "partial", "method-wrapper", "cython_function_or_method");

    /** Whether pyjama can make {@code c} a proxy over a Python object. */
    public static boolean canImplement(Class<?> c) {
        return c.isInterface() && !c.isAnnotation() && !c.isSealed() && !c.isHidden();
    }

    /**
     * A proxy implementing {@code iface} over {@code o} (borrowed; the proxy takes its own reference).
     * The caller is attached. {@code full} is the requested type, a {@code ParameterizedType} for
     * {@code Function<Long, String>}, which fixes the generic return types.
     *
     * @throws IllegalArgumentException if {@code iface} is not an interface pyjama can implement, or
     *     a method returns a scope-bound handle (it would be dead by the time Java sees it)
     */
    public static Object newProxy(long o, Class<?> iface, Type full) {
        if (!canImplement(iface)) {
            throw new IllegalArgumentException(iface.getName() + " is not an interface pyjama can implement"
                    + " (a plain, non-sealed interface is needed)");
        }
        for (Method m : iface.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && PyObject.class.isAssignableFrom(m.getReturnType())) {
                throw new IllegalArgumentException(iface.getName() + "." + m.getName() + " returns a "
                        + m.getReturnType().getSimpleName() + " handle, which would outlive the scope of the call that"
                        + " made it: declare Py<...> (an unbound reference) instead");
            }
        }
        CApi.incRef(o);
        Py<PyObject> ref = ApiAccess.handles().adopt(o);
        Method single = singleAbstractMethod(iface);
        boolean plain = single != null && PLAIN_FUNCTIONS.contains(TypeChecks.typeName(o));
        Handler h = new Handler(ref, o, iface, bindings(full), single, plain);
        ClassLoader loader = iface.getClassLoader();
        return Proxy.newProxyInstance(loader, new Class<?>[] {iface}, h);
    }

    /**
     * The Python object behind a proxy made here (borrowed, alive while {@code value} is), or 0 when
     * {@code value} is not one: such a proxy goes back to Python as its own object.
     */
    public static long borrowedTarget(Object value) {
        if (value != null && Proxy.isProxyClass(value.getClass())
                && Proxy.getInvocationHandler(value) instanceof Handler h) {
            return h.address;
        }
        return 0;
    }

    /** The reference that keeps the object behind a proxy made here alive, or null. */
    static Py<PyObject> reference(Object value) {
        if (value != null && Proxy.isProxyClass(value.getClass())
                && Proxy.getInvocationHandler(value) instanceof Handler h) {
            return h.target;
        }
        return null;
    }

    /**
     * The type variables of {@code full}'s class and of every interface above it, bound to what
     * {@code full} says ({@code UnaryOperator<String>} binds Function's T and R to String).
     */
    static Map<TypeVariable<?>, Type> bindings(Type full) {
        Map<TypeVariable<?>, Type> map = new HashMap<>();
        collect(full, map, 0);
        return map;
    }

    private static void collect(Type t, Map<TypeVariable<?>, Type> map, int depth) {
        if (depth > 64) {
            return;
        }
        Class<?> raw = GenericTypes.rawClass(t);
        if (t instanceof ParameterizedType p) {
            TypeVariable<?>[] vars = raw.getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < vars.length && i < args.length; i++) {
                map.putIfAbsent(vars[i], GenericTypes.substitute(args[i], map));
            }
        }
        for (Type s : raw.getGenericInterfaces()) {
            collect(GenericTypes.substitute(s, map), map, depth + 1);
        }
    }

    /** The one abstract method of a functional interface, or null (Object's public methods do not count, as in Comparator). */
    static Method singleAbstractMethod(Class<?> iface) {
        Method found = null;
        for (Method m : iface.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || isObjectMethod(m)) {
                continue;
            }
            if (found != null && !(found.getName().equals(m.getName())
                    && java.util.Arrays.equals(found.getParameterTypes(), m.getParameterTypes()))) {
                return null;
            }
            found = m;
        }
        return found;
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** {@code compareTo} → {@code compare_to}, {@code toURL} → {@code to_url}, {@code getHTTPCode} → {@code get_http_code}. */
    public static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
                boolean endsAcronym = i > 0 && Character.isUpperCase(name.charAt(i - 1))
                        && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || endsAcronym) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** How one interface method is called: the names to look up and the Java type of its result. */
    private record Plan(Method method, String name, String snake, Type result, boolean isVoid, boolean hasDefault,
            boolean isSingleAbstract, int arity) {}

    private static final class Handler implements InvocationHandler {
        final Py<PyObject> target;
        /** The object's address: stable, since {@link #target} keeps the object alive. */
        final long address;
        final Class<?> iface;
        final Map<TypeVariable<?>, Type> bindings;
        final Method single;
        /** Whether the object is a plain function (see {@link #PLAIN_FUNCTIONS}): decided once, its type cannot change. */
        final boolean plainFunction;
        final ConcurrentHashMap<Method, Plan> plans = new ConcurrentHashMap<>();

        Handler(Py<PyObject> target, long address, Class<?> iface, Map<TypeVariable<?>, Type> bindings, Method single,
                boolean plainFunction) {
            this.target = target;
            this.address = address;
            this.iface = iface;
            this.bindings = bindings;
            this.single = single;
            this.plainFunction = plainFunction;
        }

        private Plan plan(Method m) {
            String snake = snakeCase(m.getName());
            Type result = GenericTypes.substitute(m.getGenericReturnType(), bindings);
            boolean isSingle = single != null && single.getName().equals(m.getName())
                    && java.util.Arrays.equals(single.getParameterTypes(), m.getParameterTypes());
            return new Plan(m, m.getName(), snake.equals(m.getName()) ? null : snake, result,
                    m.getReturnType() == void.class, m.isDefault(), isSingle, m.getParameterCount());
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
                            && Proxy.getInvocationHandler(args[0]) instanceof Handler h && h.address == address;
                    case "hashCode" -> Long.hashCode(address);
                    default -> describe();
                };
            }
            Plan plan = plans.get(method);
            if (plan == null) {
                plan = plans.computeIfAbsent(method, this::plan);
            }
            Plan p = plan;
            Object[] a = args == null ? NO_ARGS : args;
            try {
                // On a thread that is attached already (a scope open and usable here), the call
                // needs no scope of its own: it leaves no handle behind.
                Object result = Scope.currentOrNull() != null ? callAttached(p, a) : Python.attach(py -> callAttached(p, a));
                if (result == RUN_DEFAULT) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                return result;
            } finally {
                Reference.reachabilityFence(this); // the address stays valid while the call runs
            }
        }

        /** Looks the attribute up and calls it; the caller is attached. */
        private Object callAttached(Plan p, Object[] args) {
            long self = address;
            if (plainFunction && p.isSingleAbstract()) {
                // A function, lambda, builtin, bound method or partial: its attributes are not its
                // interface, and looking for them would raise and clear an AttributeError per call.
                return convertResult(p, Calls.call(self, args, null));
            }
            long attr = CApi.newGetAttrOrZero(self, Names.get(p.name()));
            if (attr == 0 && p.snake() != null) {
                attr = CApi.newGetAttrOrZero(self, Names.get(p.snake()));
            }
            if (attr == 0) {
                if (p.hasDefault()) {
                    return RUN_DEFAULT;
                }
                if (p.isSingleAbstract() && CApi.isCallable(self)) {
                    attr = CApi.newRef(self);
                } else {
                    throw new PyAttributeError("'" + TypeChecks.typeName(self) + "' object has no attribute '"
                            + p.name() + "'" + (p.snake() == null ? "" : " nor '" + p.snake() + "'")
                            + " (needed by " + iface.getName() + "." + p.name() + ")");
                }
            }
            try {
                return convertResult(p, p.arity() == 0 && !CApi.isCallable(attr) ? CApi.newRef(attr) : Calls.call(attr, args, null));
            } finally {
                CApi.decRef(attr);
            }
        }

        /** The Java value of a call's result (a new reference, released here). */
        private static Object convertResult(Plan p, long result) {
            try {
                if (p.isVoid()) {
                    return null;
                }
                Object value = Conversions.toJava(result, p.result());
                if (value instanceof PyObject handle) {
                    // The natural value of an object without a Java form is a handle of the
                    // current scope, which may close on return: hand out an unbound reference.
                    try {
                        return handle.unbind();
                    } finally {
                        handle.close();
                    }
                }
                return value;
            } finally {
                CApi.decRef(result);
            }
        }

        /** {@code str(obj)}, or a description without Python when that fails. */
        private String describe() {
            try {
                return Python.attach(py -> {
                    Reference.reachabilityFence(this);
                    return Strings.strOf(address);
                });
            } catch (RuntimeException | Error e) {
                return "Python object implementing " + iface.getName() + " [0x" + Long.toHexString(address) + "]";
            }
        }
    }
}
