package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.lang.ref.Cleaner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Misuse gives a clear Java exception, never a crash: a handle after its scope, a handle on another
 * thread, a {@code Py} after {@code close()}, a closed token, null arguments (a
 * {@link NullPointerException} naming the parameter), and attaching from a {@link Cleaner} action.
 * A Python function made by {@code py.function} keeps working after the scope that made it closed,
 * as long as Python references it.
 */
class MisuseTest {

    public static final class Cases implements ScenarioSet {

        static void messageSays(Throwable e, String... words) {
            String m = e.getMessage();
            assertNotNull(m, "exception without a message: " + e);
            for (String w : words) {
                assertTrue(m.contains(w), "message of " + e.getClass().getSimpleName() + " should say '" + w + "': " + m);
            }
        }

        @Override
        public Map<String, Body> scenarios() {
            return new Builder()
                    .add("handle-after-scope", () -> {
                        PyList escaped = Python.attach(py -> py.list(1, 2, 3));
                        messageSays(assertThrows(IllegalStateException.class, escaped::len), "scope is closed");
                        messageSays(assertThrows(IllegalStateException.class, () -> escaped.getAttr("append")), "closed");
                        messageSays(assertThrows(IllegalStateException.class, escaped::unbind), "closed");
                        String s = assertDoesNotThrow(escaped::toString);
                        assertTrue(s.contains("scope closed"), s);
                        // also after an inner scope closed while the outer is still open
                        Python.attach(py -> {
                            PyObject inner = py.scope(in -> in.eval("[1]"));
                            messageSays(assertThrows(IllegalStateException.class, inner::len), "closed");
                            PyObject early = py.eval("[2]");
                            early.close();
                            early.close();
                            messageSays(assertThrows(IllegalStateException.class, early::len), "closed");
                            return null;
                        });
                        // a closed token
                        Python py = Python.attach();
                        py.close();
                        py.close();
                        messageSays(assertThrows(IllegalStateException.class, () -> py.eval("1")), "closed");
                        // creators check before they make anything (a list was made, without the GIL, first)
                        messageSays(assertThrows(IllegalStateException.class, () -> py.list(List.of(1L))), "closed");
                        messageSays(assertThrows(IllegalStateException.class, () -> py.str("x")), "closed");
                    })
                    .add("handle-on-other-thread", () -> {
                        try (Python py = Python.attach()) {
                            PyObject list = py.eval("[1, 2]");
                            CompletableFuture<Throwable> f = new CompletableFuture<>();
                            Thread t = new Thread(() -> {
                                try {
                                    list.len();
                                    f.complete(null);
                                } catch (Throwable e) {
                                    f.complete(e);
                                }
                            }, "intruder");
                            t.start();
                            Throwable e = py.detach(() -> {
                                try {
                                    return f.get(20, TimeUnit.SECONDS);
                                } catch (Exception x) {
                                    throw new AssertionError(x);
                                }
                            });
                            assertTrue(e instanceof WrongThreadException, "expected WrongThreadException, got " + e);
                            messageSays(e, "belongs to thread", "intruder");
                            // the token on another thread, and toString from there
                            CompletableFuture<Object[]> g = new CompletableFuture<>();
                            new Thread(() -> {
                                Object[] r = new Object[2];
                                try {
                                    py.eval("1");
                                } catch (Throwable x) {
                                    r[0] = x;
                                }
                                r[1] = list.toString();
                                g.complete(r);
                            }).start();
                            Object[] r = py.detach(() -> {
                                try {
                                    return g.get(20, TimeUnit.SECONDS);
                                } catch (Exception x) {
                                    throw new AssertionError(x);
                                }
                            });
                            assertTrue(r[0] instanceof WrongThreadException, "got " + r[0]);
                            assertTrue(((String) r[1]).startsWith("<Python object"), (String) r[1]);
                            assertEquals(2L, list.len());
                        }
                    })
                    .add("py-after-close", () -> {
                        Py<PyObject> ref = Python.attach(py -> py.eval("object()").unbind());
                        ref.close();
                        ref.close();
                        assertTrue(ref.isClosed());
                        Python.attach(py -> {
                            messageSays(assertThrows(IllegalStateException.class, () -> ref.bind(py)), "closed");
                            return null;
                        });
                        assertTrue(ref.toString().contains("closed"), ref.toString());
                        // closed on a thread that is not attached, then bound on another
                        Py<PyObject> ref2 = Python.attach(py -> py.eval("[1]").unbind());
                        Thread t = new Thread(ref2::close);
                        t.start();
                        t.join();
                        Python.attach(py -> {
                            messageSays(assertThrows(IllegalStateException.class, () -> ref2.bind(py)), "closed");
                            return null;
                        });
                    })
                    .add("function-outlives-its-scope", () -> {
                        Python.attach(py -> py.scope(in -> {
                            py.importModule("__main__").setAttr("_kept",
                                    in.function("kept", (PyObject x) -> x.toJava(long.class) * 2 + 1));
                            return null;
                        }));
                        for (int i = 0; i < 5; i++) {
                            System.gc();
                        }
                        Thread.sleep(100);
                        assertEquals(41L, (long) Python.<Long>attach(py -> py.eval("_kept(20)").toJava(long.class)));
                        CompletableFuture<Long> other = new CompletableFuture<>();
                        new Thread(() -> other.complete(Python.attach(py -> py.eval("_kept(1)").toJava(long.class)))).start();
                        assertEquals(3L, (long) other.get(20, TimeUnit.SECONDS));
                        assertEquals(5L, (long) Python.<Long>attach(py -> py.eval("list(map(_kept, [2]))[0]").toJava(long.class)));
                        Python.attach(py -> {
                            py.run("del _kept");
                            return null;
                        });
                    })
                    .add("null-arguments", () -> Python.attach(py -> {
                        PyObject list = py.eval("[1, 2]");
                        Map<String, Executable> calls = new LinkedHashMap<>();
                        Map<String, String> param = new LinkedHashMap<>();
                        java.util.function.BiConsumer<String, Executable> npe = (p, ex) -> {
                            String key = p + "#" + calls.size();
                            calls.put(key, ex);
                            param.put(key, p);
                        };
                        npe.accept("name", () -> list.getAttr(null));
                        npe.accept("name", () -> list.setAttr(null, 1));
                        npe.accept("name", () -> list.hasAttr(null));
                        npe.accept("name", () -> list.delAttr(null));
                        npe.accept("name", () -> list.callMethod(null));
                        npe.accept("args", () -> list.call((Object[]) null, Map.of()));
                        npe.accept("args", () -> list.callMethod("append", (Object[]) null));
                        npe.accept("args", () -> list.call((Object[]) null));
                        npe.accept("type", () -> list.toJava((Class<Object>) null));
                        npe.accept("type", () -> list.as(null));
                        npe.accept("type", () -> list.tryAs(null));
                        npe.accept("type", () -> list.isInstance(null));
                        npe.accept("name", () -> py.importModule(null));
                        npe.accept("code", () -> py.eval(null));
                        npe.accept("code", () -> py.run(null));
                        npe.accept("code", () -> py.eval(null, null, null));
                        npe.accept("value", () -> py.str(null));
                        npe.accept("value", () -> py.integer((java.math.BigInteger) null));
                        npe.accept("items", () -> py.list((Object[]) null));
                        npe.accept("items", () -> py.list((Iterable<?>) null));
                        npe.accept("items", () -> py.tuple((Object[]) null));
                        npe.accept("items", () -> py.set((Object[]) null));
                        npe.accept("entries", () -> py.dict(null));
                        npe.accept("data", () -> py.bytes(null));
                        npe.accept("data", () -> py.byteArray(null));
                        npe.accept("name", () -> py.function(null, (Supplier<?>) () -> 1));
                        npe.accept("body", () -> py.function("f", (Supplier<?>) null));
                        npe.accept("body", () -> py.function("f", (Function<PyObject, ?>) null));
                        npe.accept("iterator", () -> py.iterator(null));
                        npe.accept("iterable", () -> py.iterable(null));
                        npe.accept("body", () -> py.detach(null));
                        npe.accept("body", () -> py.scope(null));
                        npe.accept("name", () -> py.intern(null));
                        npe.accept("py", () -> list.unbind().bind(null));
                        npe.accept("code", () -> PyModule.fromCode(py, null, "f.py", "m"));
                        npe.accept("moduleName", () -> PyModule.fromCode(py, "x = 1", "f.py", null));
                        npe.accept("body", () -> Python.attach((Function<Python, Object>) null));
                        npe.accept("config", () -> Python.initialize(null));
                        StringBuilder problems = new StringBuilder();
                        for (Map.Entry<String, Executable> c : calls.entrySet()) {
                            String p = param.get(c.getKey());
                            try {
                                c.getValue().execute();
                                problems.append("\n").append(c.getKey()).append(": no exception");
                            } catch (NullPointerException e) {
                                if (e.getMessage() == null || !e.getMessage().contains(p)) {
                                    problems.append("\n").append(c.getKey()).append(": NPE does not name '").append(p)
                                            .append("': ").append(e.getMessage());
                                }
                            } catch (Throwable e) {
                                problems.append("\n").append(c.getKey()).append(": ").append(e);
                            }
                        }
                        assertEquals(2L, list.len());
                        assertEquals(3L, py.eval("1 + 2").toJava(long.class));
                        if (!problems.isEmpty()) {
                            fail("null arguments not rejected with an NPE naming the parameter:" + problems);
                        }
                        return null;
                    }))
                    .add("attach-inside-cleaner-action", () -> {
                        Cleaner cleaner = Cleaner.create();
                        AtomicReference<Object> result = new AtomicReference<>();
                        CountDownLatch done = new CountDownLatch(1);
                        Python.attach(py -> py.eval("1"));
                        // while this thread holds the GIL and drops the owner
                        Python.attach(py -> {
                            Object owner = new Object();
                            cleaner.register(owner, () -> {
                                try {
                                    result.set(Python.attach(p -> p.eval("6 * 7").toJava(long.class)));
                                } catch (Throwable t) {
                                    result.set(t);
                                }
                                done.countDown();
                            });
                            owner = null;
                            System.gc();
                            py.eval("sum(range(100000))");
                            return null;
                        });
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                        while (!done.await(50, TimeUnit.MILLISECONDS)) {
                            System.gc();
                            if (System.nanoTime() > deadline) {
                                fail("the Cleaner action that attaches did not finish within 20 s (deadlock?)");
                            }
                        }
                        assertEquals(42L, result.get(), "Cleaner action result");
                        // and the Py cleaner path keeps working after it
                        assertEquals(3L, (long) Python.<Long>attach(py -> py.eval("1 + 2").toJava(long.class)));
                    })
                    .build();
        }
    }

    @TestFactory
    Stream<DynamicTest> misuse() {
        return ForkedScenarios.run("misuse", Cases.class, n -> true, 60).stream();
    }
}
