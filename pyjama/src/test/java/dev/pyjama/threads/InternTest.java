package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@code py.intern(name)}: one str object per name and interpreter, whichever thread asks. */
class InternTest {

    @Test
    void sameObjectEveryTime() {
        Python.attach(py -> {
            PyObject a = py.intern("pyjama_intern_name");
            PyObject b = py.intern("pyjama_intern_name");
            py.scope(inner -> {
                assertEquals(a, inner.intern("pyjama_intern_name"));
                return null;
            });
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertEquals("'pyjama_intern_name'", a.repr());
            assertTrue(py.eval("lambda s: s is __import__('sys').intern('pyjama_intern_' + 'name')").call(a)
                    .toJava(boolean.class), "not the interpreter's interned str");
            assertNotEquals(a, py.intern("pyjama_other_name"));
            // non-ASCII and empty names
            assertEquals(py.intern("größe_名前"), py.intern("größe_名前"));
            assertEquals("'größe_名前'", py.intern("größe_名前").repr());
            assertEquals(py.intern(""), py.intern(""));
            return null;
        });
    }

    @Test
    void sameObjectAcrossThreads() {
        int threads = 8;
        List<String> names = List.of("alpha", "beta", "gamma", "pyjama_threads_δ");
        ConcurrentLinkedQueue<Py<PyObject>> refs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 200; i++) {
                        boolean first = i == 0;
                        for (String n : names) {
                            Python.attach(py -> {
                                PyObject s = py.intern(n);
                                if (first) {
                                    refs.add(s.unbind());
                                }
                                return null;
                            });
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            });
            th.setDaemon(true);
            th.start();
        }
        go.countDown();
        Watchdog.await(done, 20, "interning threads");
        assertTrue(errors.isEmpty(), "first error: " + errors.peek());
        assertEquals(threads * names.size(), refs.size());
        Python.attach(py -> {
            for (Py<PyObject> r : refs) {
                PyObject s = r.bind(py);
                assertEquals(py.intern(s.toJava(String.class)), s, "a thread got another object for " + s.repr());
            }
            return null;
        });
        refs.forEach(Py::close);
    }
}
