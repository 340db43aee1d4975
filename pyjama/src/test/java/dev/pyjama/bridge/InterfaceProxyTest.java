package dev.pyjama.bridge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyAttributeError;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.testing.PyTesting;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Python objects as Java interfaces: {@code obj.asInterface(type)} and the conversion to any interface. */
class InterfaceProxyTest {

    public interface Account {
        long balance();

        void deposit(long amount);

        String ownerName();

        default String describe() {
            return ownerName() + ": " + balance();
        }
    }

    public interface Pricing {
        double price(String item, int quantity);

        List<String> items();
    }

    public interface Rows {
        List<Map<String, Long>> rows();

        Map<String, List<Long>> index(List<Map<String, Long>> rows);
    }

    public interface Echo {
        String echo(String s);

        List<Map<String, Long>> nested(List<Map<String, Long>> value);
    }

    public interface Config {
        String name();

        int port();
    }

    public interface Loader {
        String load(String path) throws IOException;

        String loadUnchecked(String path);
    }

    public interface Handles {
        PyObject self();
    }

    public interface Refs {
        Py<PyObject> self();

        Object anything();
    }

    public record Job(String name, Supplier<String> work) {}

    private static final String ACCOUNT = """
            class _IpAccount:
                def __init__(self, owner):
                    self.owner = owner
                    self.total = 0
                def balance(self):
                    return self.total
                def deposit(self, amount):
                    self.total += amount
                def owner_name(self):
                    return self.owner
            """;

    @Test
    void aLambdaIsAComparator() {
        Python.attach(py -> {
            @SuppressWarnings("unchecked")
            Comparator<String> byLength = py.eval("lambda a, b: len(a) - len(b)").asInterface(Comparator.class);
            List<String> words = new ArrayList<>(List.of("ccc", "a", "bb"));
            words.sort(byLength);
            assertEquals(List.of("a", "bb", "ccc"), words);
            // Comparator's default methods are Java's, over the Python compare
            words.sort(byLength.reversed());
            assertEquals(List.of("ccc", "bb", "a"), words);
            return null;
        });
    }

    @Test
    void methodsCallAttributesCamelCaseFindsSnakeCaseAndDefaultsRun() {
        Python.attach(py -> {
            py.run(ACCOUNT);
            Account a = py.eval("_IpAccount('Ada')").asInterface(Account.class);
            a.deposit(40);
            a.deposit(2);
            assertEquals(42, a.balance());
            assertEquals("Ada", a.ownerName(), "ownerName finds owner_name");
            assertEquals("Ada: 42", a.describe(), "the default method runs when Python lacks describe");
            py.run("_IpAccount.describe = lambda self: 'python: %d' % self.total");
            assertEquals("python: 42", a.describe(), "the attribute wins once Python has it; nothing is cached");
            return null;
        });
    }

    @Test
    void aModuleIsATypedFacade() {
        Python.attach(py -> {
            PyModule.fromCode(py, """
                    PRICES = {'apple': 0.5, 'pear': 0.75}
                    def price(item, quantity):
                        return PRICES[item] * quantity
                    def items():
                        return sorted(PRICES)
                    """, "ip_pricing.py", "ip_pricing");
            Pricing pricing = py.importModule("ip_pricing").asInterface(Pricing.class);
            assertEquals(1.5, pricing.price("pear", 2));
            assertEquals(List.of("apple", "pear"), pricing.items());
            return null;
        });
    }

    @Test
    void genericSignaturesConvertDeeply() {
        Python.attach(py -> {
            py.run("""
                    class _IpRows:
                        def rows(self):
                            return [{'a': 1, 'b': 2}, {'a': 3}]
                        def index(self, rows):
                            out = {}
                            for r in rows:
                                for k, v in r.items():
                                    out.setdefault(k, []).append(v)
                            return out
                    """);
            Rows rows = py.eval("_IpRows()").asInterface(Rows.class);
            List<Map<String, Long>> r = rows.rows();
            assertEquals(List.of(Map.of("a", 1L, "b", 2L), Map.of("a", 3L)), r);
            assertEquals(Map.of("a", List.of(1L, 3L), "b", List.of(2L)), rows.index(r));
            // type arguments given by the requested type fix the generic results
            Function<Long, String> f = py.eval("lambda n: 'n=%d' % n").toJava(new TypeRef<Function<Long, String>>() {});
            assertEquals("n=41", f.apply(41L));
            UnaryOperator<String> up = py.eval("str.upper").toJava(new TypeRef<UnaryOperator<String>>() {});
            assertEquals("ABC", up.apply("abc"));
            Function<Long, String> wrong = py.eval("lambda n: n").toJava(new TypeRef<Function<Long, String>>() {});
            assertThrows(PyTypeError.class, () -> wrong.apply(1L), "an int is not a String");
            return null;
        });
    }

    @Test
    void conversionToAnInterfaceHappensByItself() {
        Python.attach(py -> {
            py.run("_ip_ran = []");
            Runnable r = py.eval("lambda: _ip_ran.append(1)").toJava(Runnable.class);
            r.run();
            r.run();
            assertEquals(2L, py.eval("len(_ip_ran)").toJava(long.class));
            // a record component of interface type
            Job job = py.eval("{'name': 'j', 'work': lambda: 'done'}").toJava(Job.class);
            assertEquals("done", job.work().get());
            // a Function<Long, String> parameter of a Java function called from Python
            PyCallable apply = py.function("apply_it",
                    (PyObject f) -> f.toJava(new TypeRef<Function<Long, String>>() {}).apply(41L));
            assertEquals("42", py.eval("lambda g: g(lambda n: str(n + 1))").call(apply).toJava(String.class));
            // a Callable whose method is call()
            Callable<Long> c = py.eval("lambda: 7").toJava(new TypeRef<Callable<Long>>() {});
            assertEquals(7L, assertDoesNotThrow(c::call));
            return null;
        });
    }

    @Test
    void anAttributeThatIsNotCallableIsTheResultOfAMethodWithoutParameters() {
        Python.attach(py -> {
            Config c = py.eval("__import__('types').SimpleNamespace(name='db', port=5432)").asInterface(Config.class);
            assertEquals("db", c.name());
            assertEquals(5432, c.port());
            return null;
        });
    }

    @Test
    void equalsHashCodeAndToString() {
        Python.attach(py -> {
            py.run(ACCOUNT + "_ip_a = _IpAccount('x')\n_ip_b = _IpAccount('y')\n_IpAccount.__str__ = lambda s: 'acct ' + s.owner\n");
            Account a1 = py.eval("_ip_a").asInterface(Account.class);
            Account a2 = py.eval("_ip_a").toJava(Account.class);
            Account b = py.eval("_ip_b").asInterface(Account.class);
            assertEquals(a1, a2, "the same Python object");
            assertEquals(a1.hashCode(), a2.hashCode());
            assertNotEquals(a1, b);
            assertFalse(a1.equals(null));
            assertEquals("acct x", a1.toString());
            // handed back to Python, a proxy is its object again
            assertTrue(py.eval("lambda p: p is _ip_a").call(a1).isTruthy());
            return null;
        });
    }

    @Test
    void pythonExceptionsAndJavaExceptionsThroughPython() {
        Python.attach(py -> {
            Function<String, Long> parse = py.eval("int").toJava(new TypeRef<Function<String, Long>>() {});
            assertEquals(12L, parse.apply("12"));
            assertThrows(PyValueError.class, () -> parse.apply("twelve"));
            Account missing = py.eval("object()").asInterface(Account.class);
            PyAttributeError e = assertThrows(PyAttributeError.class, missing::balance);
            assertTrue(e.getMessage().contains("Account.balance"), e.getMessage());
            assertTrue(assertThrows(PyAttributeError.class, missing::ownerName).getMessage().contains("owner_name"));

            // Java exceptions raised by Java code that the Python method called arrive as themselves
            IOException io = new IOException("disk gone");
            IllegalStateException ise = new IllegalStateException("bad state");
            PyCallable failIo = py.function("fail_io", () -> { throw sneaky(io); });
            PyCallable failState = py.function("fail_state", () -> { throw ise; });
            PyObject ns = py.eval("__import__('types').SimpleNamespace()");
            ns.setAttr("load", py.eval("lambda f: lambda path: f()").call(failIo));
            ns.setAttr("load_unchecked", py.eval("lambda f: lambda path: f()").call(failState));
            Loader loader = ns.asInterface(Loader.class);
            assertSame(io, assertThrows(IOException.class, () -> loader.load("x")), "a declared checked exception as itself");
            assertSame(ise, assertThrows(IllegalStateException.class, () -> loader.loadUnchecked("x")));
            ns.setAttr("load_unchecked", py.eval("lambda f: lambda path: f()").call(failIo));
            UndeclaredThrowableException u = assertThrows(UndeclaredThrowableException.class, () -> loader.loadUnchecked("x"));
            assertSame(io, u.getCause(), "an undeclared checked exception is wrapped, as Proxy does");
            return null;
        });
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void handlesAreRefusedUnboundReferencesWork() {
        Python.attach(py -> {
            PyObject o = py.eval("object()");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.asInterface(Handles.class));
            assertTrue(e.getMessage().contains("Py<...>"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> o.asInterface(String.class), "not an interface");
            PyObject ns = py.eval("__import__('types').SimpleNamespace()");
            ns.setAttr("self", py.eval("lambda: [1]"));
            ns.setAttr("anything", py.eval("lambda: object()"));
            Refs refs = ns.asInterface(Refs.class);
            Py<PyObject> self = refs.self();
            assertEquals(1L, self.bind(py).len());
            assertInstanceOf(Py.class, refs.anything(), "an object without a Java form comes as an unbound reference");
            return null;
        });
    }

    @Test
    void manyThreadsAndVirtualThreadsCallOneProxy() throws Exception {
        Comparator<Long> cmp = Python.attach(py -> {
            @SuppressWarnings("unchecked")
            Comparator<Long> c = py.eval("lambda a, b: (a > b) - (a < b)").toJava(new TypeRef<Comparator<Long>>() {});
            return c;
        });
        Account account = Python.attach(py -> {
            py.run(ACCOUNT + "import threading\n_ip_lock = threading.Lock()\n"
                    + "class _IpSafe(_IpAccount):\n"
                    + "    def deposit(self, amount):\n"
                    + "        with _ip_lock:\n"
                    + "            self.total += amount\n");
            return py.eval("_IpSafe('t')").asInterface(Account.class);
        });
        int threads = 8;
        int calls = 500;
        try (ExecutorService platform = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(platform.submit(() -> {
                    for (long i = 0; i < calls; i++) {
                        assertEquals(-1, cmp.compare(i, i + 1));
                        account.deposit(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                done.add(virtual.submit(() -> {
                    for (long i = 0; i < 10; i++) {
                        assertEquals(1, cmp.compare(i + 1, i));
                        account.deposit(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertEquals(threads * calls + 200 * 10, account.balance());
    }

    @Test
    void aDroppedProxyReleasesItsObject() {
        Python.attach(py -> {
            py.run("import weakref\nclass _IpThing:\n    def run(self): pass\n_ip_thing = _IpThing()\n"
                    + "_ip_weak = weakref.ref(_ip_thing)\n");
            return null;
        });
        WeakReference<Runnable> weak = Python.attach(py -> {
            Runnable r = py.eval("_ip_thing").asInterface(Runnable.class);
            py.run("del _ip_thing");
            r.run();
            return new WeakReference<>(r);
        });
        assertTrue(Python.<Boolean>attach(py -> py.eval("_ip_weak() is not None").isTruthy()), "the proxy keeps it alive");
        assertTrue(PyTesting.eventuallyWithGc(Duration.ofSeconds(20), () -> weak.get() == null
                && Python.<Boolean>attach(py -> {
                    PyTesting.mergeHandedOffReleases(py);
                    return py.eval("_ip_weak() is None").isTruthy();
                })), "the Python object outlived its proxy");
    }

    @Property(tries = 200)
    void stringsRoundTripThroughAProxy(@ForAll String s) {
        assertEquals(s, Python.attach(py -> py.eval("__import__('types').SimpleNamespace(echo=lambda s: s)")
                .asInterface(Echo.class)).echo(s));
    }

    @Property(tries = 100)
    void nestedValuesRoundTripThroughAProxy(@ForAll List<Map<String, Long>> value) {
        Echo echo = Python.attach(py -> py.eval("__import__('types').SimpleNamespace(nested=lambda v: v)")
                .asInterface(Echo.class));
        assertEquals(value, echo.nested(value));
    }
}
