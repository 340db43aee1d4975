package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.internal.runtime.VirtualThreads;
import dev.pyjama.testing.ForkedJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The elastic set of carrier threads that runs virtual threads' Python work
 * ({@code internal.VirtualThreads}), each case in a forked JVM with its own cap and keep-alive:
 * results stay exact under thousands of virtual threads, the set grows past its core while the
 * carriers are blocked in Python with the GIL released and never past its cap, CPU-bound Python
 * does not make it grow, and idle carriers retire with their CPython thread states freed (counted
 * in the interpreter's own list of states, on free-threaded builds too), without a double free
 * when the states of ended threads are freed later.
 */
class VirtualThreadCarriersTest {

    /** {@code max(8, 4 * cpus)}, as in VirtualThreads. */
    static final int CORE = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    @Test
    void growsWhileBlockedStaysUnderItsCapAndRetiresWithItsThreadStatesFreed() {
        int cap = CORE + 16;
        ForkedJvm.Result r = ForkedJvm.of(Main.class).withPythonUnderTest().timeout(120)
                .sysProp("pyjama.virtualThreads.maxCarriers", Integer.toString(cap))
                .sysProp("pyjama.virtualThreads.keepAliveMillis", "300")
                .args("elastic").run();
        assertEquals(0, r.exitCode(), r.describe());
        System.out.println("[VirtualThreadCarriersTest] " + r.value("summary"));
        assertEquals(Integer.toString(cap), r.value("max"), r.describe());
        assertEquals(Integer.toString(CORE), r.value("core"), r.describe());
        assertEquals("0", r.value("mismatches"), "wrong results under many virtual threads\n" + r.describe());

        // the cap is respected, and reached: sleeping carriers made the set grow past its core
        int peak = Integer.parseInt(r.value("peak"));
        int inside = Integer.parseInt(r.value("mostInside"));
        assertTrue(peak <= cap, "carriers alive at once: " + peak + ", cap " + cap + "\n" + r.describe());
        assertTrue(inside <= cap, "bodies inside Python at once: " + inside + ", cap " + cap + "\n" + r.describe());
        assertTrue(inside > CORE, "the set did not grow past its core (" + CORE + ") while its carriers slept in"
                + " Python: at most " + inside + " bodies were inside at once\n" + r.describe());

        // idle carriers retire, and free their thread states on their own threads
        assertEquals("0", r.value("aliveAfter"), r.describe());
        assertEquals(r.value("started"), r.value("retired"), r.describe());
        long before = Long.parseLong(r.value("states0"));
        assertTrue(Long.parseLong(r.value("statesBusy")) > before + CORE, "carriers had no thread states?\n" + r.describe());
        assertTrue(Long.parseLong(r.value("statesRetired")) <= before,
                "thread states of retired carriers were not freed\n" + r.describe());
        // three platform threads attached and ended after that: their states are freed too (kept on
        // free-threaded builds, see EndedThreads), and the carriers' are not freed twice (no crash)
        long ended = "true".equals(r.value("freeThreaded")) ? 3 : 0;
        assertTrue(Long.parseLong(r.value("statesAfterGc")) <= before + ended, r.describe());

        // CPU-bound Python: the carriers keep the CPU busy, so the limit is not raised
        assertEquals("0", r.value("cpuMismatches"), r.describe());
        assertTrue(Integer.parseInt(r.value("cpuRaises")) <= 1, "CPU-bound Python raised the limit "
                + r.value("cpuRaises") + " times (carriers at most " + r.value("cpuPeak") + ")\n" + r.describe());
    }

    @Test
    void aCapOfTwoRunsTwoBodiesAtOnce() {
        ForkedJvm.Result r = ForkedJvm.of(Main.class).withPythonUnderTest().timeout(60)
                .sysProp("pyjama.virtualThreads.maxCarriers", "2")
                .args("cap").run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("2", r.value("max"), r.describe());
        assertEquals("0", r.value("mismatches"), r.describe());
        assertEquals("2", r.value("mostInside"), r.describe());
        assertEquals("2", r.value("peak"), r.describe());
    }

    /** The child: prints {@code key=value} lines. */
    public static final class Main {

        static final String CODE = """
                import threading, time, ctypes
                _lock = threading.Lock()
                inside = 0
                most = 0
                def nap(s, i):
                    global inside, most
                    with _lock:
                        inside += 1
                        most = max(most, inside)
                    try:
                        time.sleep(s)
                    finally:
                        with _lock:
                            inside -= 1
                    return i * i + 1
                def f(i):
                    return i * i + 1
                def work(n):
                    s = 0
                    for i in range(n):
                        s += i * i
                    return s
                def reset():
                    global most
                    most = 0
                    return 0
                def get_most():
                    return most
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

        static Py<PyObject> module;

        public static void main(String[] args) throws Exception {
            module = Python.attach(py -> PyModule.fromCode(py, CODE, "carriers.py", "carriers").unbind());
            System.out.println("max=" + VirtualThreads.maxCarriers());
            System.out.println("core=" + VirtualThreads.coreCarriers());
            switch (args[0]) {
                case "elastic" -> elastic();
                case "cap" -> cap();
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.flush();
            System.exit(0);
        }

        static long call(String fn, Object... a) {
            return Python.attach(py -> module.bind(py).getAttr(fn).call(a).toJava(long.class));
        }

        /** Runs {@code tasks} virtual threads, task i calling nap(s, i) when sleepy(i), else f(i); returns mismatches. */
        static long run(int tasks, double s, java.util.function.IntPredicate sleepy) throws Exception {
            long mismatches = 0;
            try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Long>> results = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int n = i;
                    results.add(vts.submit(() -> sleepy.test(n) ? call("nap", s, n) : call("f", n)));
                }
                for (int i = 0; i < tasks; i++) {
                    if (results.get(i).get(60, TimeUnit.SECONDS) != (long) i * i + 1) {
                        mismatches++;
                    }
                }
            }
            return mismatches;
        }

        static void elastic() throws Exception {
            long states0 = call("thread_states");
            System.out.println("states0=" + states0);
            // exact results from thousands of virtual threads, a quarter of them sleeping in Python
            long mismatches = run(3000, 0.002, i -> i % 4 == 0);
            // growth and cap: four times the cap of virtual threads that sleep 0.2 s in Python
            call("reset");
            int max = VirtualThreads.maxCarriers();
            long[] busyStates = {0};
            Thread counter = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300); // while the sleepers sleep
                    busyStates[0] = call("thread_states");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            mismatches += run(4 * max, 0.2, i -> true);
            counter.join();
            System.out.println("mismatches=" + mismatches);
            System.out.println("mostInside=" + call("get_most"));
            System.out.println("statesBusy=" + busyStates[0]);
            VirtualThreads.Stats grown = VirtualThreads.stats();
            System.out.println("peak=" + grown.peak());
            // every carrier retires after 300 ms idle
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // (a carrier leaves the set, then frees its state, then counts as retired)
            VirtualThreads.Stats now;
            while (((now = VirtualThreads.stats()).alive() > 0 || now.retired() < now.started())
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            VirtualThreads.Stats idle = VirtualThreads.stats();
            System.out.println("aliveAfter=" + idle.alive());
            System.out.println("started=" + idle.started());
            System.out.println("retired=" + idle.retired());
            System.out.println("statesRetired=" + call("thread_states"));
            // the ended carriers' attachments are collected; an attach of a new platform thread
            // frees the states of ended threads (EndedThreads): the carriers' must not be among them
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
                Thread t = Thread.ofPlatform().start(() -> call("f", 1));
                t.join();
            }
            // and theirs are freed once their attachments are collected (on GIL builds; free-threaded
            // builds keep the states of ended threads, see EndedThreads)
            long afterGc = call("thread_states");
            boolean freeThreaded = Python.info().freeThreaded();
            for (int tries = 0; tries < 100 && afterGc > states0 + (freeThreaded ? 3 : 0); tries++) {
                System.gc();
                Thread.sleep(50);
                afterGc = call("thread_states");
            }
            System.out.println("statesAfterGc=" + afterGc);
            System.out.println("freeThreaded=" + freeThreaded);
            // CPU-bound Python: about 10 ms each, four times the core of virtual threads
            long expected = call("work", 200_000);
            long raises0 = VirtualThreads.stats().raises();
            long cpuMismatches = 0;
            try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Long>> results = new ArrayList<>();
                for (int i = 0; i < 4 * VirtualThreads.coreCarriers(); i++) {
                    results.add(vts.submit(() -> call("work", 200_000)));
                }
                for (Future<Long> f : results) {
                    if (f.get(60, TimeUnit.SECONDS) != expected) {
                        cpuMismatches++;
                    }
                }
            }
            VirtualThreads.Stats cpu = VirtualThreads.stats();
            System.out.println("cpuMismatches=" + cpuMismatches);
            System.out.println("cpuRaises=" + (cpu.raises() - raises0));
            System.out.println("cpuPeak=" + cpu.alive());
            System.out.println("summary=core " + VirtualThreads.coreCarriers() + ", cap " + max + ": " + grown
                    + "; after idling " + idle + "; thread states " + states0 + " before, " + busyStates[0]
                    + " while sleeping; CPU-bound: " + cpu);
        }

        static void cap() throws Exception {
            long mismatches = run(40, 0.05, i -> true);
            System.out.println("mismatches=" + mismatches);
            System.out.println("mostInside=" + call("get_most"));
            System.out.println("peak=" + VirtualThreads.stats().peak());
        }
    }
}
