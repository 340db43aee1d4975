package dev.pyjama;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What Python code may reach of the JVM through Java objects (pyjama's host access policy, like
 * GraalPy's {@code HostAccess}); set with {@link PythonConfig#withHostAccess} and
 * {@link Python#initialize(PythonConfig)}.
 *
 * <p>{@link #secure()}, the default, lets Python use the objects Java handed it (arguments,
 * results, {@code py.wrap}, {@code py.view}) and their public methods and fields, and look up no
 * class by name. It never lets Python reach {@code Class} objects ({@code getClass()} is not
 * there), class loaders, reflection ({@code java.lang.reflect}, {@code java.lang.invoke}),
 * {@code System}, {@code Runtime}, processes, threads, modules, {@code java.lang.foreign},
 * {@code sun.misc.Unsafe} and the JDK's internals, JNDI, JMX, {@code java.beans},
 * {@code ServiceLoader} or object deserialization: such an object is never handed to Python
 * ({@code PermissionError}), and such a member is not there ({@code AttributeError}).
 * {@link #allowPackages} and {@link #allowClasses} (and {@link PyExport} on classes and members)
 * add classes that Python may look up by name with {@code pyjama.java.java_class}; the denials
 * still apply. {@link #all()} lifts every rule, for trusted code only. {@code java_class} answers
 * once a policy was put in force with {@link Python#initialize} (or a Java object was handed to
 * Python); before, it is a {@code PermissionError}.
 *
 * <p>The policy governs what Python reaches through pyjama. Python code keeps its own powers
 * ({@code os}, {@code ctypes}, ...): untrusted Python needs a sandbox of its own as well.
 */
public final class HostAccess {

    private static final HostAccess SECURE = new HostAccess(false, List.of(), List.of(), null);
    private static final HostAccess ALL = new HostAccess(true, List.of(), List.of(), null);

    private final boolean all;
    private final List<String> packages;
    private final List<Class<?>> classes;
    private final ClassLoader loader;

    private HostAccess(boolean all, List<String> packages, List<Class<?>> classes, ClassLoader loader) {
        this.all = all;
        this.packages = packages;
        this.classes = classes;
        this.loader = loader;
    }

    /**
     * The default policy: the objects Java hands to Python and their public members, nothing by
     * name, never the denied classes and members.
     *
     * @return the secure policy
     */
    public static HostAccess secure() {
        return SECURE;
    }

    /**
     * Every public member of every class, reflection and class loading included, and any class by
     * name: for Python code that is as trusted as the application.
     *
     * @return the policy that allows everything
     */
    public static HostAccess all() {
        return ALL;
    }

    /**
     * This policy, also letting Python look up by name the classes of these packages and of the
     * packages below them ({@code "com.acme"} allows {@code com.acme.billing.Invoice}), and use
     * their public constructors and static members. Denied classes stay denied.
     *
     * @param names package names, such as {@code "java.util"}
     * @return a new policy
     * @throws IllegalArgumentException if a name is blank or not a package name
     */
    public HostAccess allowPackages(String... names) {
        Set<String> p = new LinkedHashSet<>(packages);
        for (String n : names) {
            Objects.requireNonNull(n, "package name");
            if (!n.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*")) {
                throw new IllegalArgumentException("not a package name: \"" + n + "\"");
            }
            p.add(n);
        }
        return new HostAccess(all, List.copyOf(p), classes, loader);
    }

    /**
     * This policy, also letting Python look these classes up by name and use their public
     * constructors and static members. Denied classes stay denied.
     *
     * @param types the classes
     * @return a new policy
     */
    public HostAccess allowClasses(Class<?>... types) {
        Set<Class<?>> c = new LinkedHashSet<>(classes);
        for (Class<?> t : types) {
            c.add(Objects.requireNonNull(t, "class"));
        }
        return new HostAccess(all, packages, List.copyOf(c), loader);
    }

    /**
     * This policy, looking up classes of the allowed packages (and {@link PyExport}-marked ones) in
     * {@code loader} instead of the system class loader.
     *
     * @param loader the class loader for {@code java_class} lookups
     * @return a new policy
     */
    public HostAccess classLoader(ClassLoader loader) {
        return new HostAccess(all, packages, classes, Objects.requireNonNull(loader, "loader"));
    }

    /**
     * Whether every rule is lifted.
     *
     * @return true for {@link #all()}
     */
    public boolean allowsAll() {
        return all;
    }

    /**
     * The packages whose classes Python may look up by name.
     *
     * @return the package names, in the order given
     */
    public List<String> allowedPackages() {
        return packages;
    }

    /**
     * The classes Python may look up by name, besides those of the allowed packages.
     *
     * @return the classes, in the order given
     */
    public List<Class<?>> allowedClasses() {
        return classes;
    }

    /**
     * Where {@code java_class} looks names up.
     *
     * @return the class loader given, or the system class loader
     */
    public ClassLoader lookupLoader() {
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }

    @Override
    public String toString() {
        return all ? "HostAccess[all]" : "HostAccess[secure, packages=" + packages + ", classes="
                + classes.stream().map(Class::getName).toList() + "]";
    }
}
