package dev.pyjama.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.testing.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK Flight Recorder events (issue 20): a child JVM records a run that makes each kind at
 * least once, dumps it, and the test reads the file back with {@link RecordingFile}. A child of
 * its own, because the interpreter's start is one of the events and happens once per JVM.
 */
class FlightRecorderTest {

    /** Child: records everything pyjama can report, then dumps the recording to {@code args[0]}. */
    public static final class Main {
        /** Kept reachable until exit, so that the garbage collector queues no release of theirs. */
        static final List<Object> KEPT = new ArrayList<>();

        public static void main(String[] args) throws Exception {
            System.out.println("gateBefore=" + dev.pyjama.internal.runtime.events.Jfr.on);
            Recording recording = new Recording();
            for (String name : List.of("Attach", "Detach", "Scope", "Upcall", "ReleaseDrain", "InterpreterStart",
                    "PythonException")) {
                recording.enable("dev.pyjama." + name).withThreshold(Duration.ZERO);
            }
            recording.enable("dev.pyjama.LiveObjects").withPeriod(Duration.ofMillis(100));
            recording.start();

            // The first attach starts the interpreter; it also says whether this build has a GIL.
            boolean gil = Python.attach(py -> {
                PyObject sys = py.importModule("sys");
                return !sys.hasAttr("_is_gil_enabled") || sys.callMethod("_is_gil_enabled").toJava(boolean.class);
            });
            System.out.println("gil=" + gil);

            // Four threads running CPU-bound Python: with a GIL, each attach waits for the others.
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    for (int k = 0; k < 3; k++) {
                        Python.attach(py -> py.eval("sum(i * i for i in range(300000))").toJava(long.class));
                    }
                }, "jfr-cpu-" + i);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }

            Thread scopes = new Thread(() -> Python.attach(py -> {
                // A nested scope owning four handles, one closed early: it releases three at close.
                py.scope(inner -> {
                    inner.integer(1);
                    inner.str("two");
                    inner.floating(3.0);
                    inner.list(1, 2).close();
                    return null;
                });
                // A detached block of at least 20 ms.
                py.detach(() -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
                // Upcalls: one that returns, one whose Java exception Python catches.
                PyCallable probe = py.function("jfr_probe", (PyObject x) -> x.toJava(long.class) + 1);
                PyCallable boom = py.function("jfr_boom", () -> {
                    throw new IllegalArgumentException("boom from Java");
                });
                PyObject g = py.dict();
                g.setItem("probe", probe);
                g.setItem("boom", boom);
                g.setItem("__builtins__", py.builtins());
                py.run("probe(41)\ntry:\n    boom()\nexcept Exception:\n    pass\n", g, g);
                // Python exceptions crossing into Java: a built-in one and a class of the user's.
                try {
                    py.eval("{}['missing']");
                } catch (PyKeyError expected) {
                    KEPT.add(expected); // its Py value, collected, would join the five queued below
                }
                try {
                    py.run("class JfrError(ValueError):\n    pass\nraise JfrError('made in Python')\n");
                } catch (PyValueError expected) {
                    KEPT.add(expected);
                }
                return null;
            }), "jfr-scopes");
            scopes.start();
            scopes.join();

            // Five Py handles closed on a virtual thread wait in the release queue for the next
            // attach, which drains all five on its own thread.
            List<Py<PyObject>> refs = Python.attach(py -> {
                List<Py<PyObject>> made = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    made.add(py.eval("object()").unbind());
                }
                return made;
            });
            Thread closer = Thread.ofVirtual().start(() -> refs.forEach(Py::close));
            closer.join();
            System.out.println("queued=" + dev.pyjama.internal.runtime.ReleaseQueue.pendingCount());
            Thread drainer = new Thread(() -> Python.attach(py -> null), "jfr-drainer");
            drainer.start();
            drainer.join();

            // Alive while the periodic event samples: two Py handles and a Java function Python holds.
            Py<PyObject> kept1 = Python.attach(py -> py.eval("[1]").unbind());
            Py<PyObject> kept2 = Python.attach(py -> py.eval("[2]").unbind());
            Python.attach(py -> {
                py.run("import builtins");
                py.builtins().setAttr("_jfr_kept", py.function("jfr_kept", () -> 1));
                return null;
            });
            // Until a sample was taken (every 100 ms, from JFR's periodic thread: later on a loaded
            // machine, and only once pyjama's listener, registered off the start path, is in), at most 10 s.
            Path probe = Path.of(args[0] + ".probe");
            for (int waited = 0; waited < 10_000; waited += 200) {
                Thread.sleep(200);
                recording.dump(probe);
                if (RecordingFile.readAllEvents(probe).stream()
                        .anyMatch(e -> e.getEventType().getName().equals("dev.pyjama.LiveObjects")
                                && e.getLong("livePy") >= 2)) {
                    break;
                }
            }
            java.nio.file.Files.deleteIfExists(probe);

            recording.stop();
            System.out.println("gateAfterStop=" + dev.pyjama.internal.runtime.events.Jfr.on);
            recording.dump(Path.of(args[0]));
            recording.close();
            kept1.close();
            kept2.close();
            System.out.println("done=yes");
        }
    }

    @Test
    void eachEventKindIsRecordedWithItsFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pyjama.jfr");
        ForkedJvm.Result r = ForkedJvm.of(Main.class).withPythonUnderTest().args(file.toString()).timeout(120).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("yes", r.value("done"), r.describe());
        assertEquals("false", r.value("gateBefore"), "no recording, no events: " + r.describe());
        assertEquals("false", r.value("gateAfterStop"), "the gate closes with the last recording: " + r.describe());
        assertEquals("5", r.value("queued"), r.describe());
        boolean gil = Boolean.parseBoolean(r.value("gil"));

        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, List<RecordedEvent>> byName = events.stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.pyjama."))
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        for (String name : List.of("Attach", "Detach", "Scope", "Upcall", "ReleaseDrain", "InterpreterStart",
                "PythonException", "LiveObjects")) {
            assertTrue(byName.containsKey("dev.pyjama." + name), "no dev.pyjama." + name + " in " + byName.keySet());
            assertEquals("pyjama", byName.get("dev.pyjama." + name).get(0).getEventType().getCategoryNames().get(0));
        }

        RecordedEvent start = byName.get("dev.pyjama.InterpreterStart").get(0);
        assertTrue(start.getString("version").startsWith("3."), start.toString());
        assertTrue(start.getString("library").contains("libpython3"), start.toString());
        assertFalse(start.getString("discovery").isEmpty(), start.toString());
        assertEquals(gil ? "GIL" : "free-threaded", start.getString("build"), start.toString());
        assertFalse(start.getBoolean("joined"));
        assertTrue(start.getDuration("took").toNanos() > 0, start.toString());

        // Attach: every CPU-bound call's attach, and with a GIL, real waits among them.
        List<RecordedEvent> contended = byName.get("dev.pyjama.Attach").stream()
                .filter(onThread("jfr-cpu-")).toList();
        assertTrue(contended.size() >= 12, "four threads attached three times each: " + contended.size());
        long longestWait = contended.stream().mapToLong(e -> e.getDuration().toNanos()).max().orElse(0);
        assertTrue(longestWait > 0, "attach durations are measured");
        if (gil) {
            assertTrue(longestWait >= 1_000_000, "with the GIL some attach waited for another thread's Python: "
                    + longestWait + " ns");
        }
        assertTrue(contended.stream().anyMatch(e -> e.getBoolean("firstAttach")), "each thread's first attach");

        RecordedEvent detach = only(byName.get("dev.pyjama.Detach"), onThread("jfr-scopes"));
        assertTrue(detach.getDuration().toMillis() >= 20, detach.toString());
        assertTrue(detach.getDuration().toNanos() >= detach.getDuration("reattachWait").toNanos(), detach.toString());

        List<RecordedEvent> scopes = byName.get("dev.pyjama.Scope").stream().filter(onThread("jfr-scopes")).toList();
        assertTrue(scopes.stream().anyMatch(e -> !e.getBoolean("outermost") && !e.getBoolean("callback")
                && e.getInt("released") == 3), "the nested scope released its three open handles: " + scopes);
        assertTrue(scopes.stream().anyMatch(e -> e.getBoolean("callback")), "the upcalls' scopes: " + scopes);
        assertTrue(scopes.stream().anyMatch(e -> e.getBoolean("outermost")), scopes.toString());

        RecordedEvent probe = only(byName.get("dev.pyjama.Upcall"), e -> "jfr_probe".equals(e.getString("function")));
        assertEquals(1, probe.getInt("arguments"));
        assertNull(probe.getString("thrown"));
        RecordedEvent boom = only(byName.get("dev.pyjama.Upcall"), e -> "jfr_boom".equals(e.getString("function")));
        assertEquals(IllegalArgumentException.class.getName(), boom.getString("thrown"));

        List<RecordedEvent> exceptions = byName.get("dev.pyjama.PythonException");
        RecordedEvent keyError = only(exceptions, e -> "KeyError".equals(e.getString("pythonType")));
        assertEquals("'missing'", keyError.getString("message"));
        assertEquals(PyKeyError.class.getName(), keyError.getString("javaClass"));
        assertNotNull(keyError.getStackTrace(), "the Java stack where it was thrown");
        RecordedEvent own = only(exceptions, e -> e.getString("pythonType").endsWith("JfrError"));
        assertEquals("made in Python", own.getString("message"));
        assertEquals(PyValueError.class.getName(), own.getString("javaClass"));

        RecordedEvent drain = only(byName.get("dev.pyjama.ReleaseDrain"), onThread("jfr-drainer"));
        assertEquals(5, drain.getLong("depth"), drain.toString());
        assertEquals(5, drain.getLong("drained"), drain.toString());

        RecordedEvent last = byName.get("dev.pyjama.LiveObjects").getLast();
        assertTrue(last.getLong("livePy") >= 2, last.toString());
        assertTrue(last.getLong("liveJavaFunctions") >= 1, last.toString());
        assertTrue(last.getLong("releaseQueueDepth") >= 0, last.toString());
        assertTrue(Files.size(file) > 0);
    }

    private static Predicate<RecordedEvent> onThread(String prefix) {
        return e -> e.getThread() != null && e.getThread().getJavaName() != null
                && e.getThread().getJavaName().startsWith(prefix);
    }

    private static RecordedEvent only(List<RecordedEvent> events, Predicate<RecordedEvent> which) {
        List<RecordedEvent> found = events.stream().filter(which).toList();
        assertEquals(1, found.size(), "expected one matching event among " + events);
        return found.get(0);
    }
}
