package dev.pyjama.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.testing.ForkedJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million iterations of ordinary work keep memory flat.
 *
 * <p>Each iteration runs in its own nested scope and creates a list, calls a method on it, converts
 * a value to Java, and unbinds then closes a {@code Py}; every 10,000 iterations the thread detaches
 * and attaches again. After a 100,000-iteration warm-up (JIT, heap sizing, Python's free lists and
 * caches settle), the process's resident set ({@code VmRSS} in {@code /proc/self/status}) may grow by
 * at most {@link #RSS_BOUND_BYTES} (64 MiB) over the remaining 900,000 iterations. A leak of one
 * small Python object per iteration would be at least 56 bytes * 900,000 = 48 MiB plus allocator
 * overhead, and a leaked list with its items several times that; the bound is loose enough for the
 * JVM's own heap growth. Python's own count of allocated memory blocks
 * ({@code sys.getallocatedblocks()}) is checked too, with a tight bound: that one does not depend on
 * the JVM at all. The loop runs in a forked JVM with a fixed, pre-touched heap (see the test).
 */
class LeakTest {

    /** The largest RSS growth allowed after the warm-up: 64 MiB. */
    static final long RSS_BOUND_BYTES = 64L << 20;
    /** The largest growth of sys.getallocatedblocks() allowed after the warm-up. */
    static final long BLOCKS_BOUND = 2_000;

    static final int WARM_UP = 100_000;
    static final int TOTAL = 1_000_000;
    static final int PER_ATTACH = 10_000;

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    assertEquals("kB", parts[1], line);
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/status", e);
        }
        throw new AssertionError("no VmRSS in /proc/self/status");
    }

    static long allocatedBlocks() {
        return Python.attach(py -> py.eval("__import__('gc').collect() * 0 + __import__('sys').getallocatedblocks()")
                .toJava(long.class));
    }

    /** One unit of work, in a nested scope. */
    static long iteration(Python py, PyObject sink, long i) {
        return py.scope(in -> {
            PyList l = in.list(i, "x", 2.5);
            l.callMethod("append", i);
            long v = l.get(-1).toJava(long.class);
            Py<PyObject> ref = l.unbind();
            ref.close();
            sink.callMethod("__len__");
            return v;
        });
    }

    static long run(int from, int to) {
        long checksum = 0;
        for (int start = from; start < to; start += PER_ATTACH) {
            final int first = start;
            final int end = Math.min(to, start + PER_ATTACH);
            long part = Python.attach(py -> {
                PyObject sink = py.list();
                long sum = 0;
                for (long i = first; i < end; i++) {
                    sum += iteration(py, sink, i);
                }
                return sum;
            });
            checksum += part;
            if (Boolean.getBoolean("leaktest.trace") && end % 100_000 == 0) {
                Runtime rt = Runtime.getRuntime();
                System.out.printf("[LeakTest] %d: rss %d MiB heap committed %d MiB used %d MiB%n", end, rssBytes() >> 20,
                        rt.totalMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
            }
        }
        return checksum;
    }

    /** Runs in the forked JVM: warm-up, measure, the rest, measure; prints key=value lines. */
    public static final class Main {
        public static void main(String[] args) {
            long t0 = System.nanoTime();
            long warm = run(0, WARM_UP);
            System.gc();
            long rssStart = rssBytes();
            long blocksStart = allocatedBlocks();
            long rest = run(WARM_UP, TOTAL);
            System.gc();
            long rssEnd = rssBytes();
            long blocksEnd = allocatedBlocks();
            System.out.println("checksum=" + (warm + rest));
            System.out.println("rssStart=" + rssStart);
            System.out.println("rssEnd=" + rssEnd);
            System.out.println("blocksStart=" + blocksStart);
            System.out.println("blocksEnd=" + blocksEnd);
            System.out.println("heapCommitted=" + Runtime.getRuntime().totalMemory());
            System.out.println("millis=" + (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * Runs {@link Main} in a forked JVM whose heap is fixed and touched up front
     * ({@code -Xms128m -Xmx128m -XX:+AlwaysPreTouch}), so that growth of the Java heap cannot be
     * mistaken for (or hide) native growth: in the test JVM the heap is free to grow by a few
     * hundred MiB, which is what RSS then mostly measures.
     */
    @Test
    @Timeout(150)
    void aMillionIterationsKeepMemoryFlat() {
        ForkedJvm jvm = ForkedJvm.of(Main.class)
                .env("JAVA_TOOL_OPTIONS", "-Xms128m -Xmx128m -XX:+AlwaysPreTouch -XX:+UseSerialGC")
                .timeout(120)
                .withPythonUnderTest();
        ForkedJvm.Result r = jvm.run();
        assertEquals(0, r.exitCode(), r::describe);
        long n = TOTAL;
        assertEquals(n * (n - 1) / 2, Long.parseLong(r.value("checksum")), "every iteration ran");
        long rssStart = Long.parseLong(r.value("rssStart"));
        long rssEnd = Long.parseLong(r.value("rssEnd"));
        long blocksStart = Long.parseLong(r.value("blocksStart"));
        long blocksEnd = Long.parseLong(r.value("blocksEnd"));
        String report = String.format("RSS %d -> %d MiB (%+d KiB), Python blocks %d -> %d, %s ms",
                rssStart >> 20, rssEnd >> 20, (rssEnd - rssStart) >> 10, blocksStart, blocksEnd, r.value("millis"));
        System.out.println("[LeakTest] " + report);
        assertTrue(blocksEnd - blocksStart < BLOCKS_BOUND, "Python allocated blocks grew: " + report);
        assertTrue(rssEnd - rssStart < RSS_BOUND_BYTES, "RSS grew by more than 64 MiB: " + report);
    }
}
