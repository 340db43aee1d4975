package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.PyOnceCell;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyZeroDivisionError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link PyOnceCell}: one initialisation per interpreter, however many threads ask, even when the initialiser detaches. */
class OnceCellTest {

    private static final PyOnceCell<Py<PyModule>> JSON = new PyOnceCell<>();
    private static final PyOnceCell<Py<PyModule>> NUMPY = new PyOnceCell<>();

    @Test
    void sixteenThreadsOneInitialisationThatReleasesTheGil() {
        PyOnceCell<Py<PyObject>> cell = new PyOnceCell<>();
        int threads = 16;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        CountDownLatch initDetached = new CountDownLatch(1);
        AtomicLong otherRanAt = new AtomicLong();
        long[] initWindow = new long[2];
        Set<Py<PyObject>> values = ConcurrentHashMap.newKeySet();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    Python.attach(py -> {
                        Py<PyObject> v = cell.get(py, p -> {
                            runs.incrementAndGet();
                            PyObject o = p.eval("object()");
                            p.detach(() -> {
                                initWindow[0] = System.nanoTime();
                                initDetached.countDown();
                                sleep(50);
                                initWindow[1] = System.nanoTime();
                                return null;
                            });
                            return o.unbind();
                        });
                        values.add(v);
                        ids.add(py.eval("id").call(v.bind(py)).toJava(long.class));
                        return null;
                    });
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }, "once-" + t);
            th.setDaemon(true);
            th.start();
        }
        // while the initialiser is detached and 15 threads wait for it, Python is free for others
        Thread other = new Thread(() -> {
            try {
                if (initDetached.await(10, TimeUnit.SECONDS)) {
                    sleep(10);
                    Python.attach(py -> py.eval("1 + 1"));
                    otherRanAt.set(System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "once-other");
        other.setDaemon(true);
        other.start();
        Watchdog.await(ready, 10, "threads ready");
        go.countDown();
        Watchdog.await(done, 20, "16 threads asking the cell");
        Watchdog.join(other, 10, "the other thread");
        assertTrue(errors.isEmpty(), "first error: " + errors.peek());
        assertEquals(1, runs.get(), "the initialiser ran more than once");
        assertEquals(1, values.size(), "threads got different values: " + values);
        assertEquals(1, ids.size());
        assertSame(values.iterator().next(), cell.getIfPresent());
        assertTrue(otherRanAt.get() > initWindow[0] && otherRanAt.get() < initWindow[1] + 5_000_000,
                "another thread could not run Python while the initialiser was detached and others waited");
        cell.getIfPresent().close();
    }

    /**
     * Many threads race on the first {@code get} while the initialiser calls into Python, stops the
     * world ({@code gc.collect()} on a free-threaded build waits until every attached thread
     * detaches: the waiters must wait detached) and releases the GIL, and a bystander runs Python
     * throughout: one initialisation, one value, no deadlock, on GIL and free-threaded builds.
     */
    @Test
    void racingFirstGetsWhileTheInitialiserStopsTheWorld() {
        PyOnceCell<Py<PyObject>> cell = new PyOnceCell<>();
        int threads = 12;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger bystanderRounds = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Thread bystander = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Python.attach(py -> py.eval("sum(i * i for i in range(2000))"));
                    bystanderRounds.incrementAndGet();
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "once-bystander");
        bystander.setDaemon(true);
        bystander.start();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    Python.attach(py -> {
                        Py<PyObject> v = cell.get(py, p -> {
                            runs.incrementAndGet();
                            PyModule gc = p.importModule("gc");
                            gc.callMethod("collect");
                            PyObject made = p.eval("type('Made', (), {})()");
                            p.detach(() -> {
                                sleep(20);
                                return null;
                            });
                            gc.callMethod("collect");
                            return made.unbind();
                        });
                        ids.add(py.eval("id").call(v.bind(py)).toJava(long.class));
                        return null;
                    });
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }, "once-race-" + t);
            th.setDaemon(true);
            th.start();
        }
        Watchdog.await(ready, 10, "threads ready");
        go.countDown();
        Watchdog.await(done, 30, threads + " threads racing on the first get");
        stop.set(true);
        Watchdog.join(bystander, 10, "the bystander");
        assertTrue(errors.isEmpty(), "first error: " + errors.peek());
        assertEquals(1, runs.get(), "the initialiser ran more than once");
        assertEquals(1, ids.size(), "threads got different objects: " + ids);
        assertTrue(bystanderRounds.get() > 0);
        cell.getIfPresent().close();
    }

    @Test
    void throwingInitialiserLeavesTheCellEmptyAndTheNextGetRetries() {
        PyOnceCell<String> cell = new PyOnceCell<>();
        AtomicInteger runs = new AtomicInteger();
        Python.attach(py -> {
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> cell.get(py, p -> {
                runs.incrementAndGet();
                throw boom;
            })));
            assertNull(cell.getIfPresent());
            assertThrows(PyZeroDivisionError.class, () -> cell.get(py, p -> {
                runs.incrementAndGet();
                return p.eval("1 // 0").repr();
            }));
            assertNull(cell.getIfPresent());
            assertThrows(NullPointerException.class, () -> cell.get(py, p -> {
                runs.incrementAndGet();
                return null;
            }));
            assertNull(cell.getIfPresent());
            assertEquals("ok", cell.get(py, p -> {
                runs.incrementAndGet();
                return p.eval("'ok'").toJava(String.class);
            }));
            assertEquals("ok", cell.get(py, p -> {
                runs.incrementAndGet();
                return "again";
            }));
            return null;
        });
        assertEquals(4, runs.get());
        // another thread sees the stored value and does not run its initialiser
        String seen = Python.attach(py -> cell.get(py, p -> "other"));
        assertEquals("ok", seen);
    }

    @Test
    void afterAFailureOtherThreadsRetry() {
        PyOnceCell<Long> cell = new PyOnceCell<>();
        AtomicInteger runs = new AtomicInteger();
        int threads = 8;
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    results.add(Python.attach(py -> cell.get(py, p -> {
                        // the first two initialisations fail after releasing the GIL
                        int n = runs.incrementAndGet();
                        p.detach(() -> {
                            sleep(10);
                            return null;
                        });
                        if (n <= 2) {
                            throw new IllegalStateException("failure " + n);
                        }
                        return 7L;
                    })));
                } catch (Throwable e) {
                    results.add(e.getMessage());
                } finally {
                    done.countDown();
                }
            });
            th.setDaemon(true);
            th.start();
        }
        Watchdog.await(done, 20, "threads");
        assertEquals(3, runs.get(), String.valueOf(results));
        assertEquals(6, results.stream().filter(r -> Long.valueOf(7).equals(r)).count(), String.valueOf(results));
        assertTrue(results.containsAll(List.of("failure 1", "failure 2")), String.valueOf(results));
    }

    @Test
    void recursiveInitialisationIsRefused() {
        PyOnceCell<String> cell = new PyOnceCell<>();
        Python.attach(py -> {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> cell.get(py, p -> "outer " + cell.get(p, q -> "inner")));
            assertTrue(e.getMessage().contains("own value"), e.getMessage());
            assertNull(cell.getIfPresent());
            // caught inside the initialiser: the outer one still completes
            assertEquals("outer", cell.get(py, p -> {
                assertThrows(IllegalStateException.class, () -> cell.get(p, q -> "inner"));
                return "outer";
            }));
            // recursion through a nested scope is the same thread, so refused too
            PyOnceCell<String> second = new PyOnceCell<>();
            assertThrows(IllegalStateException.class,
                    () -> second.get(py, p -> p.scope(inner -> second.get(inner, q -> "x"))));
            return null;
        });
    }

    @Test
    void cachedJsonModuleUsedFromManyThreads() {
        int threads = 8;
        int rounds = 300;
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Set<Py<PyModule>> seen = ConcurrentHashMap.newKeySet();
        for (int t = 0; t < threads; t++) {
            long tid = t;
            Thread th = new Thread(() -> {
                try {
                    for (long i = 0; i < rounds; i++) {
                        long ii = i;
                        String s = Python.attach(py -> {
                            Py<PyModule> json = JSON.get(py, p -> asModule(p.importModule("json").unbind()));
                            seen.add(json);
                            PyModule m = json.bind(py); // a ClassCastException here if the cast above lied
                            String dumped = m.callMethod("dumps", Map.of("t", tid, "i", ii)).toJava(String.class);
                            return m.callMethod("loads", dumped).getItem("i").toJava(long.class) + ":" + dumped.length();
                        });
                        if (!s.startsWith(i + ":")) {
                            errors.add("thread " + tid + " round " + i + ": " + s);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e.toString());
                } finally {
                    done.countDown();
                }
            });
            th.setDaemon(true);
            th.start();
        }
        Watchdog.await(done, 30, "json users");
        assertTrue(errors.isEmpty(), "first error: " + errors.peek());
        assertEquals(1, seen.size());
        boolean sameModule = Python.attach(py -> py.eval("lambda m: m is __import__('json')")
                .call(JSON.getIfPresent().bind(py)).toJava(boolean.class));
        assertTrue(sameModule);
    }

    @Test
    void cachedNumpyModuleWhenImportable() {
        boolean hasNumpy = Python.attach(py -> py.eval("__import__('importlib.util').util.find_spec('numpy') is not None")
                .toJava(boolean.class));
        org.junit.jupiter.api.Assumptions.assumeTrue(hasNumpy, "numpy is not installed in this interpreter");
        CountDownLatch done = new CountDownLatch(4);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    for (long n = 1; n < 200; n++) {
                        long nn = n;
                        long sum = Python.attach(py -> NUMPY.get(py, p -> asModule(p.importModule("numpy").unbind())).bind(py)
                                .callMethod("arange", nn).callMethod("sum").toJava(long.class));
                        if (sum != n * (n - 1) / 2) {
                            errors.add("arange(" + n + ").sum() = " + sum);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e.toString());
                } finally {
                    done.countDown();
                }
            });
            th.setDaemon(true);
            th.start();
        }
        Watchdog.await(done, 30, "numpy users");
        assertTrue(errors.isEmpty(), "first error: " + errors.peek());
    }

    /**
     * {@code PyObject.unbind()} always returns {@code Py<PyObject>}, so the typed {@code Py<PyModule>}
     * that PyOnceCell's own Javadoc shows ({@code NUMPY.get(py, p -> p.importModule("numpy").unbind())})
     * does not compile; this cast stands in for a typed unbind. The handle class is checked at bind.
     */
    @SuppressWarnings("unchecked")
    static Py<PyModule> asModule(Py<PyObject> ref) {
        return (Py<PyModule>) (Py<?>) ref;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
