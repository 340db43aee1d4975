package dev.pyjama.arrow;

import static dev.pyjama.arrow.ArrowPackagesTest.assertReleased;
import static dev.pyjama.arrow.ArrowPackagesTest.javaTable;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyjama.Python;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/**
 * What Java exports, used from threads the JVM does not know (Python threads here, as a
 * consumer's pool threads elsewhere): the work is done in Java on Java threads, the thread is never
 * attached to the JVM ({@code _known()} asks JNI's {@code GetEnv}, which attaches nothing), and
 * everything is released once.
 */
class ArrowThreadsTest {

    @Test
    void aStreamTakenAndDroppedOnAThreadTheJvmDoesNotKnowIsReleasedOnce() throws Exception {
        // No data package needed: runs on every interpreter under test.
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            try (var root = javaTable(allocator, 4)) {
                py.importModule("__main__").setAttr("_js", Arrow.toPython(py, root));
                py.run("""
                        import threading, sys
                        _seen = []
                        def _take():
                            c = _js.__arrow_c_stream__()  # made by Java on a Java thread
                            name = type(c).__name__
                            del c  # the capsule's destructor releases the stream here
                            _seen.append((name, sys.modules['pyjama_arrow._callbacks']._known()))
                        _threads = [threading.Thread(target=_take) for _ in range(4)]
                        for _t in _threads: _t.start()
                        for _t in _threads: _t.join()
                        _take()  # and once on this thread, which the JVM knows
                        del _js
                        """);
                assertEquals("[('PyCapsule', False), ('PyCapsule', False), ('PyCapsule', False), "
                        + "('PyCapsule', False), ('PyCapsule', True)]", py.eval("sorted(_seen)").repr());
            }
            assertReleased(allocator);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Callbacks.liveStreams() != 0 && System.nanoTime() < deadline) {
                ForeignCalls.drain();
                Thread.sleep(5);
            }
            assertEquals(0, Callbacks.liveStreams());
        }
    }

    @Test
    void aReleaseOnAThreadTheJvmDoesNotKnowNeverEntersTheJvm() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            try (var root = javaTable(allocator, 4)) {
                py.importModule("__main__").setAttr("_jt", Arrow.toPython(py, root));
                py.run("""
                        import pyarrow as pa, threading, sys
                        _t = pa.table(_jt)
                        del _jt
                        _seen = []
                        def _drop():
                            global _t
                            del _t  # the last reference: pyarrow releases the arrays on this thread
                            _seen.append(sys.modules['pyjama_arrow._callbacks']._known())
                        _th = threading.Thread(target=_drop)
                        _th.start()
                        _th.join()
                        """);
                assertEquals("[False]", py.eval("_seen").repr(), "the JVM attached the releasing thread");
            }
            assertReleased(allocator);
            assertEquals(0, Exporter.live());
        }
    }

    @Test
    void aConsumerOnAThreadTheJvmDoesNotKnowIsAnsweredByAJavaThread() throws Exception {
        Packages.require("pyarrow");
        try (var allocator = new RootAllocator(); var py = Python.attach()) {
            try (var root = javaTable(allocator, 4)) {
                py.importModule("__main__").setAttr("_jt", Arrow.toPython(py, root));
                py.run("""
                        import pyarrow as pa, threading, sys
                        _out = []
                        def _read():
                            # get_schema, get_next, release: each asked of Java from a thread it does not know
                            t = pa.table(_jt)
                            _out.append((t.num_rows, t.column('a').to_pylist(), t.column('s').null_count))
                            del t
                            _out.append(sys.modules['pyjama_arrow._callbacks']._known())
                        _th = threading.Thread(target=_read)
                        _th.start()
                        _th.join()
                        del _jt
                        """);
                assertEquals("[(4, [0, 1, 2, 3], 2), False]", py.eval("_out").repr());
            }
            assertReleased(allocator);
            assertEquals(0, Exporter.live());
            assertEquals(0, Callbacks.liveStreams());
        }
    }
}
