package dev.pyjama.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.HostAccess;
import dev.pyjama.PyDict;
import dev.pyjama.PyExport;
import dev.pyjama.Python;
import dev.pyjama.PythonConfig;
import dev.pyjama.exceptions.PyPermissionError;
import dev.pyjama.testing.ForkedJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host access policy against what a hostile script would try: every escape to class objects,
 * class loaders, reflection, {@code System} or {@code Runtime} is a clear Python exception, and the
 * JVM goes on. Public, as Python reaches only public members of public classes.
 */
public class HostAccessTest {

    /** An allowed object whose methods hand out what Python must not hold. */
    public static final class Leaky {
        public Object aClass() {
            return String.class;
        }

        public ClassLoader loader() {
            return getClass().getClassLoader();
        }

        public Object aMethod() throws NoSuchMethodException {
            return String.class.getMethod("length");
        }

        public Object thread() {
            return Thread.currentThread();
        }

        public List<Object> classes() {
            return List.of(String.class);
        }

        public Supplier<Object> supplier() {
            return () -> Runtime.getRuntime();
        }

        public String hello() {
            return "hello";
        }
    }

    /** Reachable by name only through its marked members. */
    public static final class Exported {
        @PyExport
        public static String greet(String name) {
            return "hi " + name;
        }

        public static String secret() {
            return "secret";
        }

        @PyExport
        public String shown() {
            return "shown";
        }

        public String hidden() {
            return "hidden";
        }
    }

    private static final String ESCAPES = """
            import pyjama
            from pyjama.java import java_class
            def attempt(name, f):
                try:
                    f()
                except (AttributeError, PermissionError, TypeError) as e:
                    results[name] = type(e).__name__
                    messages[name] = str(e)
                else:
                    results[name] = 'ESCAPED'
            results, messages = {}, {}
            attempt('getClass', lambda: o.getClass())
            attempt('getClass via _jcall', lambda: pyjama._jcall(1, o._pyjama_ref, 'getClass'))
            attempt('getClass attribute via _jcall', lambda: pyjama._jcall(0, o._pyjama_ref, 'getClass'))
            attempt('forName', lambda: java_class('java.lang.Class').forName('java.lang.Runtime'))
            attempt('Runtime', lambda: java_class('java.lang.Runtime').getRuntime())
            attempt('System', lambda: java_class('java.lang.System').exit(3))
            attempt('Thread', lambda: java_class('java.lang.Thread').currentThread())
            attempt('Unsafe', lambda: java_class('sun.misc.Unsafe'))
            attempt('reflect', lambda: java_class('java.lang.reflect.Method'))
            attempt('MethodHandles', lambda: java_class('java.lang.invoke.MethodHandles').lookup())
            attempt('pyjama internals', lambda: java_class('dev.pyjama.internal.bridge.JavaObjects'))
            attempt('unallowed class', lambda: java_class('java.util.ArrayList'))
            attempt('not a name', lambda: java_class('[Ljava.lang.String;'))
            attempt('class object from a method', lambda: o.aClass())
            attempt('class loader method', lambda: o.loader())
            attempt('reflection from a method', lambda: o.aMethod())
            attempt('thread from a method', lambda: o.thread())
            attempt('class object in a list', lambda: o.classes())
            attempt('runtime from a supplier', lambda: o.supplier().get())
            attempt('new JavaObject', lambda: pyjama.JavaObject())
            attempt('new JavaClass', lambda: pyjama.JavaClass())
            attempt('forged instance', lambda: object.__new__(pyjama.JavaObject).getClass())
            attempt('forged ref', lambda: pyjama._jcall(1, object(), 'hello'))
            def other_class_method_id():
                s = o.supplier()
                s.get  # cached in the proxy as partial(_jcall, 1, ref, id)
                return pyjama._jcall(1, o._pyjama_ref, s.__dict__['get'].args[2])
            attempt('method id of another class', other_class_method_id)
            attempt('subclass', lambda: type('X', (pyjama.JavaObject,), {})().getClass())
            attempt('class attribute', lambda: o.__class__.__subclasses__()[0].forName)
            """;

    /** A fresh JVM: java_class before the application set a policy or handed Python anything, then after. */
    public static final class FreshMain {
        public static void main(String[] args) {
            String probe = """
                    from pyjama.java import java_class
                    try:
                        r = 'ESCAPED %d' % java_class('java.util.ArrayList')().size()
                    except PermissionError as e:
                        r = 'denied'
                    """;
            System.out.println("before=" + Python.attach(py -> {
                PyDict ns = py.dict();
                ns.setItem("__builtins__", py.builtins());
                py.run(probe, ns, ns);
                return ns.getItem("r").str();
            }));
            Python.initialize(PythonConfig.discover().withHostAccess(HostAccess.secure().allowClasses(ArrayList.class)));
            System.out.println("after=" + Python.attach(py -> {
                PyDict ns = py.dict();
                ns.setItem("__builtins__", py.builtins());
                py.run(probe.replace("ESCAPED", "allowed"), ns, ns);
                return ns.getItem("r").str();
            }));
        }
    }

    @Test
    void byNameNothingBeforeThePolicyIsSetThenWhatItAllows() {
        ForkedJvm.Result r = ForkedJvm.of(FreshMain.class).timeout(60).withPythonUnderTest().run();
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("denied", r.value("before"), r::describe);
        assertEquals("allowed 0", r.value("after"), r::describe);
    }

    @AfterEach
    void backToSecure() {
        Python.initialize(PythonConfig.discover());
    }

    private static PyDict run(Python py, Object o, String code) {
        PyDict ns = py.dict();
        ns.setItem("__builtins__", py.builtins());
        ns.setItem("o", o);
        py.run(code, ns, ns);
        return ns;
    }

    @Test
    void everyEscapeIsAClearPythonExceptionAndTheJvmGoesOn() {
        Python.attach(py -> {
            PyDict ns = run(py, new Leaky(), ESCAPES);
            Map<String, String> results = ns.getItem("results").toJava(Map.class);
            Map<String, String> messages = ns.getItem("messages").toJava(Map.class);
            assertEquals(26, results.size(), results.toString());
            results.forEach((what, outcome) -> assertTrue(!outcome.equals("ESCAPED"), what + " escaped"));
            assertEquals("AttributeError", results.get("getClass"));
            assertEquals("AttributeError", results.get("method id of another class"), messages.get("method id of another class"));
            assertEquals("PermissionError", results.get("forName"));
            assertEquals("PermissionError", results.get("System"));
            assertEquals("AttributeError", results.get("class loader method"), "a method returning a denied type is not there");
            assertEquals("PermissionError", results.get("class object from a method"));
            assertEquals("PermissionError", results.get("reflection from a method"));
            assertEquals("PermissionError", results.get("runtime from a supplier"));
            assertTrue(messages.get("unallowed class").contains("allowPackages"), messages.get("unallowed class"));
            // the allowed part still works
            assertEquals("hello", py.eval("o.hello()", ns, ns).str());
            return null;
        });
        assertEquals(2L, (long) Python.<Long>attach(py -> py.eval("1 + 1").toJava(long.class)), "the JVM and Python go on");
    }

    @Test
    void javaCannotHandDeniedObjectsToPythonEither() {
        Python.attach(py -> {
            assertThrows(PyPermissionError.class, () -> py.wrap(String.class));
            assertThrows(PyPermissionError.class, () -> py.toPython(Thread.currentThread()));
            assertThrows(PyPermissionError.class, () -> py.toPython(Optional.of(ClassLoader.getSystemClassLoader())));
            assertThrows(PyPermissionError.class, () -> py.toPython(List.of(Runtime.getRuntime())));
            return null;
        });
    }

    @Test
    void allowedPackagesAndClassesAreReachableByNameDenialsStay() {
        Python.initialize(PythonConfig.discover().withHostAccess(HostAccess.secure().allowPackages("java.util")
                .allowClasses(java.util.concurrent.atomic.AtomicLong.class)));
        Python.attach(py -> {
            PyDict ns = run(py, new Leaky(), """
                    from pyjama.java import java_class
                    ArrayList = java_class('java.util.ArrayList')
                    xs = ArrayList()
                    xs.add(3)
                    xs.add(1)
                    java_class('java.util.Collections').sort(xs)
                    items = list(xs)
                    counter = java_class('java.util.concurrent.atomic.AtomicLong')(41)
                    answer = counter.incrementAndGet()
                    maximum = java_class('java.lang.Long') if False else None
                    try:
                        java_class('java.util.ServiceLoader')
                        service = 'ESCAPED'
                    except PermissionError:
                        service = 'denied'
                    try:
                        xs.getClass()
                        klass = 'ESCAPED'
                    except AttributeError:
                        klass = 'denied'
                    """);
            assertEquals(List.of(1L, 3L), ns.getItem("items").toJava(List.class));
            assertEquals(42L, ns.getItem("answer").toJava(long.class));
            assertEquals("denied", ns.getItem("service").str(), "a denied class in an allowed package");
            assertEquals("denied", ns.getItem("klass").str());
            assertTrue(ns.getItem("xs").toJava(Object.class) instanceof ArrayList<?>);
            return null;
        });
    }

    @Test
    void javaPackagesImportAsPythonPackagesUnderThePolicy() {
        Python.initialize(PythonConfig.discover().withHostAccess(HostAccess.secure().allowPackages("java.util")
                .allowClasses(HostAccessTest.Exported.class)));
        Python.attach(py -> {
            PyDict ns = run(py, new Leaky(), """
                    import sys
                    from java.util import ArrayList, Collections
                    xs = ArrayList()
                    xs.add(2)
                    xs.add(1)
                    Collections.sort(xs)
                    items = list(xs)
                    import java.util.concurrent.atomic as atomic
                    counter = atomic.AtomicLong(6).incrementAndGet()
                    import java.util
                    nested = java.util.concurrent.atomic.AtomicLong(5).get()
                    from dev.pyjama.bridge.HostAccessTest import Exported as E
                    greeting = E.greet('ada')
                    def outcome(code):
                        try:
                            exec(code, {})
                            return 'ESCAPED'
                        except Exception as e:
                            return type(e).__name__
                    runtime = outcome('from java.lang import Runtime')
                    service = outcome('from java.util import ServiceLoader')
                    unknown_root = outcome('import com.nothing.here')
                    plain_missing = outcome('import no_such_python_module_xyz')
                    import importlib.machinery
                    names = [f.__name__ if isinstance(f, type) else type(f).__name__ for f in sys.meta_path]
                    after_path_finder = names.index('_JavaPackages') > sys.meta_path.index(importlib.machinery.PathFinder)
                    """);
            assertEquals(List.of(1L, 2L), ns.getItem("items").toJava(List.class));
            assertEquals(7L, ns.getItem("counter").toJava(long.class));
            assertEquals(5L, ns.getItem("nested").toJava(long.class), "a subpackage as an attribute of its package");
            assertEquals("hi ada", ns.getItem("greeting").str(), "an allowed class's package root imports too");
            assertEquals("PermissionError", ns.getItem("runtime").str(), "java.lang.Runtime is not allowed by name");
            assertEquals("PermissionError", ns.getItem("service").str(), "a denied class in an allowed package");
            assertEquals("ModuleNotFoundError", ns.getItem("unknown_root").str(), "only java, javax and allowed roots");
            assertEquals("ModuleNotFoundError", ns.getItem("plain_missing").str(), "other failed imports are untouched");
            assertTrue(ns.getItem("after_path_finder").toJava(boolean.class), "after the path finder: Python modules win");
            return null;
        });
    }

    @Test
    void pyExportMarksWhatPythonSees() {
        Python.initialize(PythonConfig.discover().withHostAccess(
                HostAccess.secure().classLoader(HostAccessTest.class.getClassLoader())));
        Python.attach(py -> {
            PyDict ns = run(py, new Exported(), """
                    from pyjama.java import java_class
                    E = java_class('dev.pyjama.bridge.HostAccessTest$Exported')
                    greeting = E.greet('ada')
                    def fails(f):
                        try:
                            f()
                            return 'ESCAPED'
                        except (AttributeError, TypeError):
                            return 'denied'
                    secret = fails(lambda: E.secret())
                    construct = fails(lambda: E())
                    shown = o.shown()
                    hidden = fails(lambda: o.hidden())
                    """);
            assertEquals("hi ada", ns.getItem("greeting").str());
            assertEquals("denied", ns.getItem("secret").str());
            assertEquals("denied", ns.getItem("construct").str());
            assertEquals("shown", ns.getItem("shown").str());
            assertEquals("denied", ns.getItem("hidden").str());
            return null;
        });
    }

    @Test
    void allHostAccessIsForTrustedCode() {
        Python.initialize(PythonConfig.discover().withHostAccess(HostAccess.all()));
        dev.pyjama.Py<dev.pyjama.PyObject> kept = Python.attach(py -> {
            PyDict ns = run(py, new Leaky(), """
                    from pyjama.java import java_class
                    name = o.getClass().getName()
                    cores = java_class('java.lang.Runtime').getRuntime().availableProcessors()
                    get_class = o.getClass
                    """);
            assertEquals(Leaky.class.getName(), ns.getItem("name").str());
            assertTrue(ns.getItem("cores").toJava(long.class) >= 1);
            return ns.unbind();
        });
        // and back to secure: the same object's getClass is gone again at once, also the bound
        // method Python kept from before
        Python.initialize(PythonConfig.discover());
        Python.attach(py -> {
            dev.pyjama.PyObject ns = kept.bind(py);
            assertThrows(dev.pyjama.exceptions.PyAttributeError.class, () -> py.eval("o.getClass()", ns, ns));
            assertThrows(dev.pyjama.exceptions.PyAttributeError.class, () -> py.eval("get_class()", ns, ns));
            return null;
        });
        kept.close();
    }
}
