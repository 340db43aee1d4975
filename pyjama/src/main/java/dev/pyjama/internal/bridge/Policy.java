package dev.pyjama.internal.bridge;

import dev.pyjama.HostAccess;
import dev.pyjama.PyExport;
import dev.pyjama.exceptions.PyPermissionError;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host access policy in force, as the bridge applies it: which classes may be handed to Python
 * at all, which members Python sees, and which classes {@code java_class} finds by name. Every
 * check is made in Java at the moment of use; Python holds nothing that grants anything.
 *
 * <p>The denials are of what lets code leave the object graph it was given: {@code Class} and
 * everything reached through it (class loaders, reflection, method handles, modules), the JVM's
 * own controls ({@code System}, {@code Runtime}, processes, threads), raw memory
 * ({@code java.lang.foreign}, {@code Unsafe}, the JDK internals), and the APIs that load or build
 * classes from names or bytes (JNDI, JMX, {@code java.beans}, {@code ServiceLoader},
 * serialization streams, scripting and compilers).
 */
final class Policy {

    private static volatile Policy current = new Policy(HostAccess.secure());

    private final HostAccess access;
    /** Members per class under this policy (a new policy, a new cache: nothing leaks from a wider one). */
    final ClassValue<Members> members = new ClassValue<>() {
        @Override
        protected Members computeValue(Class<?> type) {
            return Members.of(type, Policy.this, false);
        }
    };
    final ClassValue<Members> statics = new ClassValue<>() {
        @Override
        protected Members computeValue(Class<?> type) {
            return Members.of(type, Policy.this, true);
        }
    };

    private Policy(HostAccess access) {
        this.access = access;
    }

    static Policy current() {
        return current;
    }

    static void set(HostAccess access) {
        current = new Policy(access);
    }

    boolean all() {
        return access.allowsAll();
    }

    private static final Set<String> DENIED_PACKAGES = Set.of(
            "java.lang.reflect", "java.lang.invoke", "java.lang.foreign", "java.lang.instrument",
            "java.lang.management", "java.lang.constant", "java.beans", "java.rmi", "java.rmi.server",
            "java.rmi.registry", "javax.management", "javax.naming", "javax.script", "javax.tools", "sun.misc");

    private static final Pattern DENIED_PREFIXES = Pattern.compile(
            "^(sun\\.|jdk\\.internal\\.|com\\.sun\\.|jdk\\.jshell|javax\\.management\\.|javax\\.naming\\.|java\\.rmi\\.|dev\\.pyjama\\.internal\\.).*");

    private static final List<Class<?>> DENIED_TYPES = List.of(
            Class.class, ClassLoader.class, System.class, Runtime.class, Process.class, ProcessBuilder.class,
            ProcessHandle.class, Thread.class, ThreadGroup.class, Module.class, ModuleLayer.class, StackWalker.class,
            Package.class, ClassValue.class, java.util.ServiceLoader.class, java.io.ObjectInputStream.class,
            java.io.ObjectOutputStream.class, java.security.AccessController.class, java.security.Policy.class,
            java.security.ProtectionDomain.class, java.security.CodeSource.class);

    /** {@link #deniedType} per class: asked on every operation, decided once. */
    private final ClassValue<Boolean> denied = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return computeDenied(type);
        }
    };

    /** Whether objects of {@code c} are never handed to Python, nor its members used. */
    boolean deniedType(Class<?> c) {
        return !access.allowsAll() && denied.get(c);
    }

    private static boolean computeDenied(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return false;
        }
        String pkg = c.getPackageName();
        if (DENIED_PACKAGES.contains(pkg) || DENIED_PREFIXES.matcher(c.getName()).matches()) {
            return true;
        }
        for (Class<?> d : DENIED_TYPES) {
            if (d.isAssignableFrom(c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether Python may not see {@code m}: a denied declaring class, result type, or one of Object's own escapes. */
    boolean deniedMember(Member m) {
        if (access.allowsAll()) {
            return false;
        }
        if (deniedType(m.getDeclaringClass())) {
            return true;
        }
        if (m instanceof Method method) {
            String n = method.getName();
            if (method.getDeclaringClass() == Object.class
                    && (n.equals("getClass") || n.equals("wait") || n.equals("notify") || n.equals("notifyAll"))) {
                return true; // a Class; a wait (or its pair) holding the GIL
            }
            if (n.equals("getDeclaringClass") && Enum.class.isAssignableFrom(method.getDeclaringClass())) {
                return true;
            }
            return deniedType(method.getReturnType());
        }
        if (m instanceof Field f) {
            return deniedType(f.getType());
        }
        return false;
    }

    /**
     * Whether {@code m} shows, under {@link PyExport} narrowing: a class that marks any of its
     * members shows only those (the policy's {@code all} shows everything).
     */
    boolean exported(Member m) {
        if (access.allowsAll()) {
            return true;
        }
        return !marksMembers(m.getDeclaringClass()) || ((AnnotatedElement) m).isAnnotationPresent(PyExport.class);
    }

    private static final ClassValue<Boolean> MARKS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            try {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(PyExport.class)) {
                        return true;
                    }
                }
                for (Field f : c.getDeclaredFields()) {
                    if (f.isAnnotationPresent(PyExport.class)) {
                        return true;
                    }
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (k.isAnnotationPresent(PyExport.class)) {
                        return true;
                    }
                }
            } catch (LinkageError | SecurityException e) {
                return false;
            }
            return false;
        }
    };

    static boolean marksMembers(Class<?> c) {
        return MARKS.get(c);
    }

    /** Throws PermissionError unless objects of {@code c} may be handed to Python. */
    void checkWrap(Class<?> c) {
        if (deniedType(c)) {
            throw new PyPermissionError("pyjama's host access policy does not let Python hold a " + c.getName()
                    + " (class objects, class loaders, reflection, System, Runtime, threads and the JDK's internals"
                    + " are never handed to Python unless the application allows all host access)");
        }
    }

    /**
     * The top-level names under which Python's import of Java packages looks ({@code java},
     * {@code javax}, and the first part of every package and class the application allows): any
     * other failed import stays a {@code ModuleNotFoundError}.
     */
    Set<String> packageRoots() {
        Set<String> roots = new java.util.TreeSet<>(List.of("java", "javax"));
        access.allowedPackages().forEach(p -> roots.add(p.split("\\.", 2)[0]));
        access.allowedClasses().forEach(c -> roots.add(c.getName().split("\\.", 2)[0]));
        return roots;
    }

    private static final Pattern BINARY_NAME = Pattern.compile(
            "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

    /**
     * The class Python asked for by name, as static access: the whole of an allowed class, or the
     * {@link PyExport}-marked members of another.
     */
    JavaObjects.StaticRef lookup(String name) {
        if (name == null || !BINARY_NAME.matcher(name).matches()) {
            throw new PyPermissionError("not a Java class name: " + name);
        }
        for (Class<?> c : access.allowedClasses()) {
            if (c.getName().equals(name)) {
                return checked(c, true);
            }
        }
        boolean inPackage = false;
        for (String p : access.allowedPackages()) {
            if (name.startsWith(p + ".")) {
                inPackage = true;
                break;
            }
        }
        if (!access.allowsAll() && !inPackage && DENIED_PREFIXES.matcher(name).matches()) {
            throw refused(name);
        }
        Class<?> c;
        try {
            // Not initialised unless allowed: loading a class runs none of its code.
            c = Class.forName(name, false, access.lookupLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw refused(name); // the same answer as for a class that exists: nothing to probe with
        }
        if (access.allowsAll() || inPackage || c.isAnnotationPresent(PyExport.class)) {
            return checked(c, true);
        }
        if (marksMembers(c)) {
            return checked(c, false);
        }
        throw refused(name);
    }

    private JavaObjects.StaticRef checked(Class<?> c, boolean whole) {
        if (deniedType(c) || !java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
            throw refused(c.getName());
        }
        return new JavaObjects.StaticRef(c, whole);
    }

    private static PyPermissionError refused(String name) {
        return new PyPermissionError("pyjama's host access policy does not let Python use the Java class " + name
                + " by name (the application allows classes with PythonConfig.withHostAccess(HostAccess.secure()"
                + ".allowPackages(...) / .allowClasses(...)) or @PyExport)");
    }
}
