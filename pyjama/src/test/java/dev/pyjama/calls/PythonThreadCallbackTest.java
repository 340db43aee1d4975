package dev.pyjama.calls;

import static dev.pyjama.calls.CallPythonTest.ns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.Python;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Java functions called from threads that Python starts. */
class PythonThreadCallbackTest {

    private static final String THREADS = String.join("\n",
            "import threading",
            "def run_threads(f, n, calls):",
            "    results = [None] * n",
            "    def work(i):",
            "        results[i] = sum(f(i) for _ in range(calls))",
            "    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]",
            "    for t in threads:",
            "        t.start()",
            "    for t in threads:",
            "        t.join(30)",
            "    return (results, [t.is_alive() for t in threads])",
            "");

    @Test
    void javaFunctionCalledFromPythonThread() {
        long caller = Thread.currentThread().threadId();
        Set<Long> javaThreads = ConcurrentHashMap.newKeySet();
        AtomicLong calls = new AtomicLong();
        Python.attach(py -> {
            PyDict ns = ns(py, THREADS);
            PyCallable f = py.function("work", x -> {
                javaThreads.add(Thread.currentThread().threadId());
                calls.incrementAndGet();
                return x.toJava(long.class) * 2;
            });
            // one thread, target is the Java function itself, result stored by Python
            PyDict one = ns(py, String.join("\n",
                    "import threading",
                    "box = []",
                    "def start(f):",
                    "    t = threading.Thread(target=lambda: box.append(f(21)))",
                    "    t.start()",
                    "    t.join(30)",
                    "    return (box, t.is_alive())",
                    ""));
            assertEquals("([42], False)", one.getItem("start").call(f).repr());
            // several threads, many calls each
            String r = ns.getItem("run_threads").call(f, 4, 250).repr();
            assertEquals("([0, 500, 1000, 1500], [False, False, False, False])", r);
            return null;
        });
        assertEquals(1 + 4 * 250, calls.get());
        assertTrue(javaThreads.size() >= 2, "calls ran on " + javaThreads);
        assertTrue(javaThreads.stream().anyMatch(id -> id != caller), "no call ran on a Python-started thread");
    }

    @Test
    void javaFunctionCallingPythonFromPythonThread() {
        Python.attach(py -> {
            PyDict ns = ns(py, THREADS);
            // the Java body uses its own token to call back into Python on the Python thread
            PyCallable f = py.function("square_in_python", (p, args, kwargs) ->
                    p.eval("lambda x: x * x").call(args.get(0)).toJava(long.class));
            assertEquals("([0, 10, 40], [False, False, False])", ns.getItem("run_threads").call(f, 3, 10).repr());
            return null;
        });
    }

    @Test
    void javaExceptionInPythonThreadIsSeenByThatThread() {
        Python.attach(py -> {
            IllegalStateException boom = new IllegalStateException("in thread");
            PyCallable f = py.function("fail", () -> {
                throw boom;
            });
            PyDict ns = ns(py, String.join("\n",
                    "import threading, pyjama",
                    "seen = []",
                    "def start(f):",
                    "    def work():",
                    "        try:",
                    "            f()",
                    "        except pyjama.JavaException as e:",
                    "            seen.append(e.java_class)",
                    "    t = threading.Thread(target=work)",
                    "    t.start()",
                    "    t.join(30)",
                    "    return seen",
                    ""));
            assertEquals("['java.lang.IllegalStateException']", ns.getItem("start").call(f).repr());
            return null;
        });
    }
}
