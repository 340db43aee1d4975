package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.testing.ForkedJvm;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Threads that Python code starts ({@code threading.Thread}) running alongside attached Java threads. */
class PythonThreadsTest {

    private static final String CODE = String.join("\n",
            "import threading",
            "results = []",
            "done = threading.Event()",
            "def worker(k, jf):",
            "    # runs until Java says stop; item i of worker k is (k, i, i*i + k), half of them computed by Java",
            "    i = 0",
            "    while not done.is_set():",
            "        v = jf(k, i) if i % 2 else i * i + k",
            "        results.append((k, i, v))",
            "        i += 1",
            "def start(n, jf):",
            "    ts = [threading.Thread(target=worker, args=(k, jf), daemon=True) for k in range(n)]",
            "    for t in ts:",
            "        t.start()",
            "    return ts",
            "def stop(ts, timeout):",
            "    done.set()",
            "    for t in ts:",
            "        t.join(timeout)",
            "    return [t.is_alive() for t in ts]",
            "def check():",
            "    # every (k, i) value exact, and each k's indices 0..n-1 without gaps or repeats",
            "    per = {}",
            "    for k, i, v in results:",
            "        if v != i * i + k:",
            "            return 'bad value %r' % ((k, i, v),)",
            "        per.setdefault(k, []).append(i)",
            "    for k, idx in per.items():",
            "        if sorted(idx) != list(range(len(idx))):",
            "            return 'gaps or repeats for %d' % k",
            "    return {k: len(v) for k, v in per.items()}",
            "");

    static final int PYTHON_THREADS = 4;
    static final int JAVA_THREADS = 4;
    static final int JAVA_ROUNDS = 1_000;

    @Test
    void pythonThreadsAndJavaThreadsShareTheInterpreter() {
        AtomicLong javaCallsFromPythonThreads = new AtomicLong();
        Py<PyObject> module = Python.attach(py -> PyModule.fromCode(py, CODE, "pythreads.py", "pyjama_pythreads")
                .unbind());
        Py<PyObject> pythonThreads = Python.attach(py -> {
            PyCallable jf = py.function("jf", (a, b) -> {
                javaCallsFromPythonThreads.incrementAndGet();
                long k = a.toJava(long.class);
                long i = b.toJava(long.class);
                return i * i + k;
            });
            return module.bind(py).getAttr("start").call(PYTHON_THREADS, jf).unbind();
        });
        // Java threads append to the same list with their own keys (100 + j) while the Python threads run
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(JAVA_THREADS);
        long[] pythonItemsAtJavaStart = new long[1];
        pythonItemsAtJavaStart[0] = Python.attach(py -> module.bind(py).getAttr("results").len());
        for (int j = 0; j < JAVA_THREADS; j++) {
            long k = 100 + j;
            Thread t = new Thread(() -> {
                try {
                    for (long i = 0; i < JAVA_ROUNDS; i++) {
                        long ii = i;
                        long v = Python.attach(py -> {
                            PyObject m = module.bind(py);
                            long sq = py.eval(ii + " * " + ii).toJava(long.class);
                            m.getAttr("results").callMethod("append", py.tuple(k, ii, sq + k));
                            return sq + k;
                        });
                        if (v != i * i + k) {
                            errors.add("java " + k + " round " + i + " got " + v);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e.toString());
                } finally {
                    done.countDown();
                }
            }, "java-alongside-" + j);
            t.setDaemon(true);
            t.start();
        }
        Watchdog.await(done, 30, "Java threads alongside Python threads");
        long pythonItemsAtJavaEnd = Python.attach(py -> module.bind(py).getAttr("results").len());
        String alive = Python.attach(py -> module.bind(py).getAttr("stop").call(pythonThreads.bind(py), 10).repr());
        assertEquals("[False, False, False, False]", alive, "Python threads did not stop");
        assertTrue(errors.isEmpty(), "first error: " + errors.peek());
        String counts = Python.attach(py -> module.bind(py).getAttr("check").call().repr());
        System.out.println("[PythonThreadsTest] items per key: " + counts);
        // each Java key has exactly its rounds; each Python key made progress while Java threads ran
        Python.attach(py -> {
            PyObject c = py.eval("lambda counts, k: counts.get(k, 0)");
            PyObject r = module.bind(py).getAttr("check").call();
            assertTrue(r.is(dev.pyjama.PyDict.class), "check failed: " + r.repr());
            for (int j = 0; j < JAVA_THREADS; j++) {
                assertEquals(JAVA_ROUNDS, c.call(r, 100 + j).toJava(long.class));
            }
            for (int k = 0; k < PYTHON_THREADS; k++) {
                assertTrue(c.call(r, k).toJava(long.class) > 0, "Python thread " + k + " never ran");
            }
            return null;
        });
        assertTrue(pythonItemsAtJavaEnd - JAVA_THREADS * JAVA_ROUNDS > pythonItemsAtJavaStart[0],
                "Python threads made no progress while the Java threads ran");
        assertTrue(javaCallsFromPythonThreads.get() > 0);
        pythonThreads.close();
        module.close();
    }

    /** A Java function running on a Python-started thread may release the GIL with detach. */
    @Test
    void javaFunctionOnAPythonThreadCanDetach() {
        ForkedJvm.Result r = forked("python-thread-detach");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("([42], [False])", r.value("result"), r.describe());
    }

    /** ... and attach again inside the detached block. */
    @Test
    void javaFunctionOnAPythonThreadCanDetachAndAttachAgain() {
        ForkedJvm.Result r = forked("python-thread-detach-attach");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("([42], [False])", r.value("result"), r.describe());
    }

    /** A contended PyOnceCell asked from Python-started threads (its waiters detach). */
    @Test
    void onceCellFromPythonThreads() {
        ForkedJvm.Result r = forked("python-thread-once-cell");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("([42, 42, 42, 42], [False, False, False, False])", r.value("result"), r.describe());
    }

    static ForkedJvm.Result forked(String scenario, String... more) {
        ForkedJvm jvm = ForkedJvm.of(ThreadsProbeMain.class).timeout(15).args(scenario).args(more)
                .withPythonUnderTest();
        return jvm.run();
    }
}
