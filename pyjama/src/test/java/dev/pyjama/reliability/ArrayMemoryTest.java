package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code py.arrayOf} leaves nothing behind (issue 21): its result owns the only copy, so 100 copies
 * of a {@code double[1_000_000]} (8 MB each) made in one scope and each closed keep the resident set
 * within {@link #RSS_BOUND_BYTES}; the same when Python keeps them past the Java scope and drops
 * them later. Before, every call left a second copy (a {@code bytes} of the same size) in the
 * caller's scope until it closed: 800 MB here. Run in a forked JVM with a fixed, pre-touched heap,
 * so that Java heap growth does not count. Also: buffer views opened and closed in one scope leave
 * nothing in it.
 */
class ArrayMemoryTest {

    static final long RSS_BOUND_BYTES = 20L << 20;
    static final int CALLS = 100;

    static double[] values() {
        double[] v = new double[1_000_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return v;
    }

    static String mib(long bytes) {
        return String.format("%+.1f MiB", bytes / 1048576.0);
    }

    public static final class Cases implements ScenarioSet {
        @Override
        public Map<String, Body> scenarios() {
            return new Builder()
                    .add("100-arrays-closed-in-one-scope", () -> {
                        double[] v = values();
                        Python.attach(py -> {
                            for (int i = 0; i < 10; i++) { // warm-up: allocator and JIT settle
                                py.arrayOf(v).close();
                            }
                            long rss0 = rss();
                            double sum = 0;
                            for (int i = 0; i < CALLS; i++) {
                                PyObject a = py.arrayOf(v);
                                sum += a.getItem(i).toJava(double.class);
                                a.close();
                            }
                            long grown = rss() - rss0;
                            System.out.println("arrayOf x " + CALLS + " in one scope, each closed: RSS " + mib(grown));
                            assertEquals(CALLS * (CALLS - 1) / 2.0, sum);
                            assertTrue(grown < RSS_BOUND_BYTES, "RSS grew by " + mib(grown) + " over " + CALLS
                                    + " closed arrayOf(double[1M]) in one scope");
                            return null;
                        });
                    })
                    .add("100-arrays-kept-by-python-then-dropped", () -> {
                        // Python frees what it drops; whether the C allocator gives the pages back
                        // to the system at once is its own policy: glibc keeps freed heap chunks that
                        // are not at the top (plain Python does the same: 100 numpy.empty(1_000_000)
                        // kept in a list and dropped leave RSS 763 MiB up on 3.11.7 here). So:
                        // tracemalloc must see every byte freed, and a second round must reuse the
                        // first one's memory instead of growing the process.
                        double[] v = values();
                        Python.attach(py -> {
                            py.run("import tracemalloc\n_kept = []\n");
                            for (int i = 0; i < 10; i++) {
                                py.arrayOf(v).close();
                            }
                            py.run("tracemalloc.start()\n");
                            return null;
                        });
                        long[] first = keepThenDrop(v);
                        long[] second = keepThenDrop(v);
                        long traced = Python.attach(py -> {
                            long t = py.eval("tracemalloc.get_traced_memory()[0]").toJava(long.class);
                            py.run("tracemalloc.stop()\n");
                            return t;
                        });
                        System.out.printf("arrayOf x %d kept by Python, twice: RSS while kept %s then %s; after the drops "
                                + "%s then %s; Python memory still traced after the drops: %d bytes%n", CALLS,
                                mib(first[0]), mib(second[0]), mib(first[1]), mib(second[1]), traced);
                        assertTrue(first[0] > CALLS * 7_000_000L, "Python held the copies: " + mib(first[0]));
                        assertTrue(traced < 1 << 20, "Python still holds " + traced + " bytes after dropping the arrays");
                        assertTrue(second[0] - first[0] < RSS_BOUND_BYTES, "the second round grew the process by "
                                + mib(second[0] - first[0]) + ": the first round's memory was not freed");
                        // Not asserted: RSS after each drop. What glibc keeps of freed chunks depends on
                        // where they lie (990 and 1052 MiB after two drops in one CI run, 1086 and 1093 in
                        // another); the reuse above is what shows the memory was freed.
                    })
                    .add("3M-views-opened-and-closed-in-one-scope", () -> {
                        // Each view used to leave its close action (and its arena) in the scope until
                        // the scope closed: a loop of views in one long scope ran out of heap (a JMH
                        // benchmark of buffer() + close() did, in a 2 GB heap). Now a view that ends
                        // early takes its action with it; 3,000,000 views fit in this 256 MB heap.
                        Python.attach(py -> {
                            PyObject bytes = py.bytes(new byte[64]);
                            long total = 0;
                            for (int i = 0; i < 3_000_000; i++) {
                                try (var view = bytes.buffer()) {
                                    total += view.segment().byteSize();
                                }
                            }
                            assertEquals(3_000_000L * 64, total);
                            return null;
                        });
                    })
                    .build();
        }

        /** Python keeps CALLS copies (one attach each), then drops them: RSS while kept and after, in bytes. */
        static long[] keepThenDrop(double[] v) {
            for (int i = 0; i < CALLS; i++) {
                Python.attach(py -> py.eval("_kept.append").call(py.arrayOf(v)));
            }
            long held = Python.attach(py -> {
                assertEquals(CALLS * 499999500000.0, py.eval("sum(sum(a) for a in _kept)").toJava(double.class));
                return rss();
            });
            long left = Python.attach(py -> {
                py.run("_kept.clear()\n");
                return rss();
            });
            return new long[] {held, left};
        }

        static long rss() {
            try {
                return LeakSoakTest.rssBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> arrayMemory() {
        return ForkedScenarios.run("arrayOf memory", Cases.class, n -> true, 240, "-Xms256m", "-Xmx256m",
                "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC").stream();
    }
}
