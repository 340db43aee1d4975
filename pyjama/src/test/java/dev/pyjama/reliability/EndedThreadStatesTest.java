package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CPython thread state of a platform thread that attached is freed once the thread has ended
 * (issue 16): 3 rounds of 10,000 short-lived threads that each attach once, in a forked JVM with a
 * fixed, pre-touched heap. Checked two ways: the interpreter's list of thread states (walked with the
 * exported {@code PyInterpreterState_ThreadHead} / {@code PyThreadState_Next}, through ctypes) is
 * back to its size before the rounds, and the process's resident memory ({@code VmRSS}) grows by
 * less than 10 MiB from after round 1 to after round 3 (it grew 43 to 48 MiB a round before).
 *
 * <p>Free-threaded builds free an ended thread's state on the next thread that gets its OS thread
 * identifier (see {@code internal.runtime.EndedThreads}: from any other thread it would race with
 * that one), so a bounded number stay; and free-threaded CPython grows by itself as threads come
 * and go, which the child measures with CPython's own threads and the bound allows for.
 */
class EndedThreadStatesTest {

    static final int ROUNDS = 3;
    static final int THREADS = 10_000;
    static final long MIB = 1024 * 1024;
    /** Free-threaded: the states of ended threads that may stay (see the assertion). */
    static final long FREE_THREADED_KEPT = 64;

    @Test
    @Timeout(400)
    void threadStatesOfEndedThreadsAreFreedAndMemoryStaysFlat() {
        ChildJvm.Result r = ChildJvm.of(Main.class)
                .jvmArgs("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch")
                .timeout(360)
                .run();
        assertTrue(r.noCrash(), r::describe);
        assertEquals(0, r.exitCode(), r::describe);
        assertEquals("[]", r.value("errors"), r::describe);
        boolean freeThreaded = "true".equals(r.value("freeThreaded"));
        assertEquals(Long.toString((long) ROUNDS * THREADS), r.value("attached"), r::describe);
        long before = Long.parseLong(r.value("states0"));
        long[] states = new long[ROUNDS + 1];
        long[] rss = new long[ROUNDS + 1];
        for (int i = 1; i <= ROUNDS; i++) {
            states[i] = Long.parseLong(r.value("states" + i));
            rss[i] = Long.parseLong(r.value("rss" + i));
        }
        System.out.printf("[EndedThreadStatesTest] thread states %d before, %d %d %d after each round; VmRSS after"
                + " each round %d %d %d KiB (round 1 to 3: %+d KiB)%n", before, states[1], states[2], states[3],
                rss[1] / 1024, rss[2] / 1024, rss[3] / 1024, (rss[3] - rss[1]) / 1024);
        // With the GIL every ended thread's state is freed; free-threaded, one per OS thread
        // identifier stays until a new thread with that identifier attaches (see EndedThreads):
        // at most the 8 threads alive at once plus the stacks glibc caches for reuse (40 MiB of
        // them by default, some 40 JVM thread stacks).
        long kept = freeThreaded ? FREE_THREADED_KEPT : 2;
        for (int i = 1; i <= ROUNDS; i++) {
            assertTrue(states[i] <= before + kept, "thread states after round " + i + ": " + states[i]
                    + ", before the rounds " + before + "\n" + r.describe());
        }
        // Free-threaded CPython grows by itself when threads come and go (mimalloc segments that ended
        // threads abandon): the child measures that with CPython's own threads, and pyjama may add
        // no more than the GIL builds' bound to it.
        long cpython = freeThreaded ? Math.max(0, Long.parseLong(r.value("pyrss" + ROUNDS)) - Long.parseLong(r.value("pyrss1"))) : 0;
        if (freeThreaded) {
            System.out.printf("[EndedThreadStatesTest] free-threaded CPython's own threads, same churn: VmRSS %+d KiB"
                    + " from round 1 to %d%n", cpython / 1024, ROUNDS);
        }
        assertTrue(rss[ROUNDS] - rss[1] < 10 * MIB + cpython, "VmRSS grew " + (rss[ROUNDS] - rss[1]) / 1024
                + " KiB from round 1 to round " + ROUNDS + " (CPython's own threads: " + cpython / 1024 + " KiB)\n"
                + r.describe());
    }

    /** The child: prints {@code statesN=} and {@code rssN=} (bytes) after each round. */
    public static final class Main {

        static final String COUNT_STATES = """
                import ctypes
                _api = ctypes.pythonapi
                _api.PyInterpreterState_Get.restype = ctypes.c_void_p
                _api.PyInterpreterState_ThreadHead.restype = ctypes.c_void_p
                _api.PyInterpreterState_ThreadHead.argtypes = [ctypes.c_void_p]
                _api.PyThreadState_Next.restype = ctypes.c_void_p
                _api.PyThreadState_Next.argtypes = [ctypes.c_void_p]
                def thread_states():
                    n = 0
                    t = _api.PyInterpreterState_ThreadHead(_api.PyInterpreterState_Get())
                    while t:
                        n += 1
                        t = _api.PyThreadState_Next(t)
                    return n
                """;

        /** The same churn with CPython's own threads: batches of 8 that each evaluate 20 + 22. */
        static final String PYTHON_CHURN = """
                import threading
                def churn(n):
                    for _ in range(0, n, 8):
                        ts = [threading.Thread(target=eval, args=("20 + 22",)) for _ in range(8)]
                        for t in ts:
                            t.start()
                        for t in ts:
                            t.join()
                """;

        public static void main(String[] args) throws Exception {
            Python.attach(py -> {
                py.run(COUNT_STATES);
                return null;
            });
            long before = states();
            System.out.println("states0=" + before);
            System.out.println("rss0=" + rss());
            AtomicLong attached = new AtomicLong();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            boolean freeThreaded = Python.attach(py -> py.eval(
                    "__import__('sysconfig').get_config_var('Py_GIL_DISABLED') or 0").toJava(long.class)) != 0;
            System.out.println("freeThreaded=" + freeThreaded);
            for (int round = 1; round <= ROUNDS; round++) {
                Thread[] batch = new Thread[8];
                for (int i = 0; i < THREADS; i += batch.length) {
                    for (int j = 0; j < batch.length; j++) {
                        batch[j] = Thread.ofPlatform().start(() -> {
                            try {
                                long v = Python.attach(py -> py.eval("20 + 22").toJava(long.class));
                                if (v == 42) {
                                    attached.incrementAndGet();
                                }
                            } catch (Throwable t) {
                                errors.add(t.toString());
                            }
                        });
                    }
                    for (Thread t : batch) {
                        t.join();
                    }
                }
                // The states are freed once the ended threads' attachments are collected (a GC,
                // then the Cleaner), on a later attach: wait for that.
                long states = states();
                for (int tries = 0; tries < 200 && !freeThreaded && states > before + 2; tries++) {
                    System.gc();
                    Thread.sleep(50);
                    states = states();
                }
                System.out.println("states" + round + "=" + states);
                System.out.println("rss" + round + "=" + rss());
            }
            if (freeThreaded) {
                // What CPython itself grows by for the same churn of its own threads (3.13t: a few
                // MiB a round, from mimalloc segments abandoned by ended threads), for comparison.
                Python.attach(py -> {
                    py.run(PYTHON_CHURN);
                    return null;
                });
                for (int round = 1; round <= ROUNDS; round++) {
                    Python.attach(py -> py.eval("churn(%d)".formatted(THREADS)));
                    System.out.println("pyrss" + round + "=" + rss());
                }
            }
            System.out.println("attached=" + attached.get());
            System.out.println("errors=" + errors.subList(0, Math.min(5, errors.size())));
            System.out.flush();
        }

        static long states() {
            return Python.attach(py -> py.eval("thread_states()").toJava(long.class));
        }

        /** The resident set size from /proc/self/status, in bytes. */
        static long rss() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
    }
}
