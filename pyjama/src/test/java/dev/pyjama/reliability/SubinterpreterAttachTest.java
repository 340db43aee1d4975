package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import dev.pyjama.testing.PyTesting;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python code that creates a subinterpreter, then attaches from everywhere (issue 16). Once any
 * subinterpreter exists, CPython's {@code PyGILState_Check} answers 1 on every thread, attached or
 * not; an attach that trusted it ran Python without the GIL (SIGSEGV on 3.12 and 3.13). The module
 * differs by version: {@code _xxsubinterpreters} on 3.10 to 3.12, {@code _interpreters} on 3.13,
 * {@code concurrent.interpreters} on 3.14 (which also has {@code _interpreters}); each of the
 * interpreters here has one, and the test fails if none is found rather than skipping.
 *
 * <p>In a forked JVM, so that a crash is a failed test: the same thread attaches again, then
 * platform and virtual threads attach under contention (a count under a Python lock and a list
 * append, both exact), one of them creating and running a second subinterpreter meanwhile, and a
 * thread whose GIL is held by "C code" further up (a raw {@code PyGILState_Ensure}) attaches without
 * taking it again. The JVM must then exit with status 0.
 */
class SubinterpreterAttachTest {

    static final int PLATFORM = 6;
    static final int VIRTUAL = 24;
    static final int ROUNDS = 200;

    @Test
    @Timeout(240)
    void attachAfterPythonCreatedASubinterpreterHoldsTheGilEverywhereAndTheJvmExitsCleanly() {
        ChildJvm.Result r = ChildJvm.of(Main.class).timeout(200).run();
        assertTrue(r.noCrash(), r::describe);
        assertEquals(0, r.exitCode(), r::describe);
        int minor = PyTesting.minor();
        String expected = minor >= 14 ? "concurrent.interpreters" : minor == 13 ? "_interpreters" : "_xxsubinterpreters";
        assertEquals(expected, r.value("module"), r::describe);
        assertEquals("45", r.value("inside"), r::describe);
        assertEquals("42", r.value("same"), r::describe);
        long total = (long) (PLATFORM + VIRTUAL) * ROUNDS;
        assertEquals(Long.toString(total), r.value("count"), r::describe);
        assertEquals(Long.toString(total), r.value("hits"), r::describe);
        assertEquals("6", r.value("second"), r::describe);
        assertEquals("42 held", r.value("foreign"), r::describe);
        assertEquals("[]", r.value("errors"), r::describe);
        assertEquals("7", r.value("after"), r::describe);
    }

    /** The child: prints {@code key=value} lines. */
    public static final class Main {

        /**
         * Whether this OS thread holds the GIL: its PyGILState thread state is the current one
         * (PyThreadState_GetUnchecked from 3.13, _PyThreadState_UncheckedGet before).
         */
        static boolean heldHere() throws Throwable {
            SymbolLookup lookup = SymbolLookup.loaderLookup();
            MemorySegment current = lookup.find("PyThreadState_GetUnchecked")
                    .or(() -> lookup.find("_PyThreadState_UncheckedGet")).orElseThrow();
            FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_LONG);
            long now = (long) Linker.nativeLinker().downcallHandle(current, fd).invokeExact();
            long mine = (long) Linker.nativeLinker().downcallHandle(
                    lookup.find("PyGILState_GetThisThreadState").orElseThrow(), fd).invokeExact();
            return now != 0 && now == mine;
        }

        /** Creating, running and destroying a subinterpreter, whichever module this CPython has. */
        static final String HELPERS = """
                import importlib
                si_name = si = None
                for _n in ("concurrent.interpreters", "_interpreters", "_xxsubinterpreters"):
                    try:
                        si = importlib.import_module(_n)
                        si_name = _n
                        break
                    except ImportError:
                        pass
                def si_create():
                    return si.create()
                def si_exec(interp, code):
                    if si_name == "concurrent.interpreters":
                        interp.exec(code)
                    elif si_name == "_interpreters":
                        failure = si.exec(interp, code)
                        if failure is not None:
                            raise RuntimeError(str(failure))
                    else:
                        si.run_string(interp, code)
                def si_destroy(interp):
                    if si_name == "concurrent.interpreters":
                        interp.close()
                    else:
                        si.destroy(interp)
                """;

        public static void main(String[] args) throws Exception {
            String module = Python.attach(py -> {
                py.run(HELPERS);
                // what the reproducer does: create one from Python, run something in it
                py.run("first = si_create()\nsi_exec(first, 'x = sum(range(10))\\nassert x == 45')\ninside = 45");
                return py.eval("si_name").toString();
            });
            System.out.println("module=" + module);
            System.out.println("inside=" + Python.attach(py -> py.eval("inside").toString()));
            // the same thread attaches again: it ended the JVM with SIGSEGV before
            System.out.println("same=" + Python.attach(py -> py.eval("6 * 7").toJava(long.class)));

            Python.attach(py -> {
                py.run("""
                        import threading
                        lock = threading.Lock()
                        count = [0]
                        hits = []
                        def bump():
                            with lock:  # may block, so releases the GIL: another attached thread takes it
                                count[0] += 1
                            hits.append(1)
                        """);
                return null;
            });
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < PLATFORM + VIRTUAL; i++) {
                final int n = i;
                Runnable body = () -> {
                    try {
                        for (int k = 0; k < ROUNDS; k++) {
                            if (n == 0 && k == ROUNDS / 2) {
                                // a second subinterpreter, made while the others attach
                                Python.attach(py -> {
                                    py.run("second = si_create()\nsi_exec(second, 'y = 1 + 2 + 3')\n");
                                    return null;
                                });
                            }
                            if (n < PLATFORM && k % 2 == 0) {
                                try (Python py = Python.attach()) {
                                    py.eval("bump").call();
                                }
                            } else {
                                Python.attach(py -> py.eval("bump").call());
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(Thread.currentThread() + ": " + t);
                    }
                };
                threads.add(n < PLATFORM ? Thread.ofPlatform().name("p" + n).start(body)
                        : Thread.ofVirtual().name("v" + n).start(body));
            }
            for (Thread t : threads) {
                t.join();
            }
            // Exclusion itself: list.sort holds the GIL (on free-threaded builds the list's lock) for
            // its whole run and raises "list modified during sort" if anything changes the list
            // meanwhile; one thread sorts, another appends and pops, each attaching every time. The
            // sorter reverses the list in C (list.reverse, under the same lock) rather than shuffling
            // it in Python: random.shuffle is Python code, which on a free-threaded build runs beside
            // the mutator by design and then indexes past a popped end.
            Python.attach(py -> {
                py.run("big = list(range(200000, 0, -1))\nimport random\nrandom.shuffle(big)");
                return null;
            });
            Thread sorter = Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < 40; k++) {
                        Python.attach(py -> {
                            py.run("big.sort()\nbig.reverse()");
                            return null;
                        });
                    }
                } catch (Throwable t) {
                    errors.add("sorter: " + t);
                }
            });
            Thread mutator = Thread.ofPlatform().start(() -> {
                try {
                    while (sorter.isAlive()) {
                        Python.attach(py -> {
                            py.run("big.append(0)\nbig.pop()");
                            return null;
                        });
                    }
                } catch (Throwable t) {
                    errors.add("mutator: " + t);
                }
            });
            sorter.join();
            mutator.join();
            System.out.println("count=" + Python.attach(py -> py.eval("count[0]").toString()));
            System.out.println("hits=" + Python.attach(py -> py.eval("len(hits)").toString()));
            System.out.println("second=" + Python.attach(py -> {
                py.run("si_exec(second, 'assert y == 6')");
                return "6";
            }));

            // C code further up a new thread holds the GIL: the attach must use it, not take it again
            String[] foreign = new String[1];
            Thread f = Thread.ofPlatform().start(() -> {
                int state = LibPython.PyGILState_Ensure();
                try {
                    long v = Python.attach(py -> py.eval("6 * 7").toJava(long.class));
                    // still held by the "C code" (PyGILState_Check cannot tell now: it answers 1 anyway)
                    foreign[0] = v + (heldHere() ? " held" : " dropped");
                } catch (Throwable t) {
                    errors.add("foreign: " + t);
                } finally {
                    LibPython.PyGILState_Release(state);
                }
            });
            f.join();
            System.out.println("foreign=" + foreign[0]);
            System.out.println("errors=" + errors);

            Python.attach(py -> {
                py.run("si_destroy(first)");
                return null;
            });
            System.out.println("after=" + Python.attach(py -> py.eval("3 + 4").toString()));
            System.out.flush();
            // the second subinterpreter is left alive, as a program would: exit must still be clean
        }
    }
}
