package dev.pyjama.internal.bridge;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The members of one class that Python sees under one policy: public, callable from outside its
 * module (a method of a hidden or package-private class is taken from the public interface or
 * superclass that declares it, as {@code List.of(..).size()} must be {@code List.size}), not
 * denied, and shown under {@link dev.pyjama.PyExport} narrowing. Instance members for objects,
 * static members and constructors for {@code java_class}.
 */
final class Members {

    final Class<?> type;
    final Map<String, List<Method>> methods;
    final Map<String, Field> fields;
    final List<Constructor<?>> constructors;
    /** The method a call of the object runs (its functional interface's), or null. */
    final Method functional;
    /** Per method name, the id Python's cached bound method passes back instead of the name. */
    final Map<String, Integer> ids;

    private Members(Class<?> type, Map<String, List<Method>> methods, Map<String, Field> fields,
            List<Constructor<?>> constructors, Method functional, Policy policy, boolean statics) {
        this.type = type;
        this.methods = methods;
        this.fields = fields;
        this.constructors = constructors;
        this.functional = functional;
        // Instance methods only: a class's static methods are called by name (java_class), so no id
        // can ever make a static method of an allowed class callable through an instance.
        Map<String, Integer> ids = new java.util.HashMap<>();
        if (!statics) {
            methods.forEach((name, list) -> ids.put(name, JavaObjects.register(type, name, list, policy)));
        }
        this.ids = Map.copyOf(ids);
    }

    static Members of(Class<?> c, Policy policy, boolean statics) {
        Map<String, List<Method>> methods = new LinkedHashMap<>();
        Set<String> signatures = new HashSet<>();
        for (Method m : c.getMethods()) {
            if (m.isBridge() || m.isSynthetic() || Modifier.isStatic(m.getModifiers()) != statics) {
                continue;
            }
            if (statics && m.getDeclaringClass() != c && m.getDeclaringClass().isInterface()) {
                continue; // an interface's static methods belong to it alone
            }
            Method usable = statics ? (accessible(c) ? m : null) : accessibleVersion(c, m);
            if (usable == null || policy.deniedMember(usable) || !policy.exported(usable)) {
                continue;
            }
            String sig = m.getName() + Arrays.toString(m.getParameterTypes());
            if (signatures.add(sig)) {
                methods.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(usable);
            }
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Field f : c.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) != statics || !accessible(f.getDeclaringClass())
                    || policy.deniedMember(f) || !policy.exported(f)) {
                continue;
            }
            fields.putIfAbsent(f.getName(), f);
        }
        List<Constructor<?>> constructors = new ArrayList<>();
        if (statics && !Modifier.isAbstract(c.getModifiers()) && accessible(c)) {
            for (Constructor<?> k : c.getConstructors()) {
                if (!policy.deniedMember(k) && policy.exported(k)) {
                    constructors.add(k);
                }
            }
        }
        Method functional = null;
        if (!statics) {
            functional = functionalMethod(c, methods);
        }
        methods.replaceAll((k, v) -> List.copyOf(v));
        return new Members(c, Map.copyOf(methods), Map.copyOf(fields), List.copyOf(constructors), functional, policy, statics);
    }

    /** Whether code in another module may use {@code t}'s public members: public all the way out, in an exported package. */
    static boolean accessible(Class<?> t) {
        for (Class<?> e = t; e != null; e = e.getDeclaringClass()) {
            if (!Modifier.isPublic(e.getModifiers())) {
                return false;
            }
        }
        return !t.isHidden() && t.getModule().isExported(t.getPackageName());
    }

    /** {@code m} as declared by an accessible supertype of {@code c} (itself when its class is accessible), or null. */
    static Method accessibleVersion(Class<?> c, Method m) {
        if (accessible(m.getDeclaringClass())) {
            return m;
        }
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        todo.add(c);
        while (!todo.isEmpty()) {
            Class<?> t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (accessible(t)) {
                try {
                    Method v = t.getMethod(m.getName(), m.getParameterTypes());
                    if (accessible(v.getDeclaringClass())) {
                        return v;
                    }
                } catch (NoSuchMethodException e) {
                    // not here; look further up
                }
            }
            if (t.getSuperclass() != null) {
                todo.add(t.getSuperclass());
            }
            todo.addAll(Arrays.asList(t.getInterfaces()));
        }
        return null;
    }

    /** The single abstract method of a functional interface {@code c} implements, if exactly one such method is found. */
    private static Method functionalMethod(Class<?> c, Map<String, List<Method>> visible) {
        Method found = null;
        Deque<Class<?>> todo = new ArrayDeque<>(Arrays.asList(c.getInterfaces()));
        for (Class<?> s = c.getSuperclass(); s != null; s = s.getSuperclass()) {
            todo.addAll(Arrays.asList(s.getInterfaces()));
        }
        Set<Class<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (!seen.add(i)) {
                continue;
            }
            Method sam = InterfaceProxies.singleAbstractMethod(i);
            // Annotated interfaces only (or a lambda's own): Iterable and Comparable have a single abstract
            // method too, and a list is no function.
            if (sam != null && (i.isAnnotationPresent(FunctionalInterface.class) || c.isHidden() || c.isSynthetic())) {
                List<Method> candidates = visible.get(sam.getName());
                if (candidates != null) {
                    for (Method m : candidates) {
                        if (Arrays.equals(m.getParameterTypes(), sam.getParameterTypes())) {
                            if (found != null && !found.equals(m)) {
                                return null; // two functional interfaces: which one a call means is unclear
                            }
                            found = m;
                        }
                    }
                }
            }
            todo.addAll(Arrays.asList(i.getInterfaces()));
        }
        return found;
    }

    /** The names Python's {@code dir()} shows. */
    List<String> names() {
        Set<String> n = new TreeSet<>(methods.keySet());
        n.addAll(fields.keySet());
        return List.copyOf(n);
    }

    /** {@code name(int, Object)} for messages. */
    static String describe(Executable e) {
        StringBuilder sb = new StringBuilder(e instanceof Constructor<?> ? e.getDeclaringClass().getSimpleName() : e.getName()).append('(');
        Class<?>[] p = e.getParameterTypes();
        for (int i = 0; i < p.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(e.isVarArgs() && i == p.length - 1
                    ? p[i].getComponentType().getSimpleName() + "..." : p[i].getSimpleName());
        }
        return sb.append(')').toString();
    }
}
