package dev.pyjama.threads;

import dev.pyjama.PyDict;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.PythonInfo;
import dev.pyjama.exceptions.PyRuntimeError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Main class of the forked-JVM tests of Python's synchronisation from Java (critical sections,
 * locks that detach while they wait, whether the GIL is on): scenarios that could crash the JVM or
 * leave threads deadlocked run here, one per process. The first argument names the scenario;
 * output is {@code key=value} lines; any exception prints {@code exception=<class>} and exits with
 * 3, a deadlock prints a thread dump and halts with 4.
 */
public final class SyncScenarios {

    private SyncScenarios() {}

    public static void main(String[] args) {
        try {
            switch (args[0]) {
                case "container-race" -> ContainerRace.run(Double.parseDouble(args[1]));
                case "lock-wait" -> LockWait.run(args[1]);
                case "gil-info" -> gilInfo(args.length > 1 ? args[1] : null, args.length > 2 ? args[2] : null);
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
            System.out.println("done=true");
            System.out.flush();
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("exception=" + t.getClass().getName());
            System.out.println("message:");
            System.out.println(t.getMessage());
            System.out.flush();
            t.printStackTrace();
            System.exit(3);
        }
    }

    /** Joins {@code threads}; if one is still running after {@code seconds}, prints a dump and halts with 4. */
    static void joinOrHalt(List<Thread> threads, double seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                System.out.println("deadlock=" + what + ": " + t.getName() + " still running after " + seconds + " s");
                System.out.println(Watchdog.threadDump());
                System.out.flush();
                Runtime.getRuntime().halt(4);
            }
        }
    }

    static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Python threads and Java threads change one dict and one list while other Java threads convert
     * and iterate them; every state the changers leave is consistent by construction, so any
     * inconsistency a reader sees is a torn read.
     *
     * <p>The dict always maps keys {@code 0..G-1} to one shared generation number (each change sets
     * all of them in one {@code dict.update}, which holds the dict's lock for the whole merge) and
     * maps each present key {@code x} of {@code 1000..1000+E-1} to {@code -x} (inserted and removed
     * one at a time, so the dict grows, shrinks and is rebuilt). The list always starts with {@code N}
     * equal items (set in one slice assignment, under the list's lock) followed by any number of
     * {@code -1} (appended and deleted one at a time).
     */
    static final class ContainerRace {

        static final int G = 8;
        static final int E = 48;
        static final int N = 16;

        static final String SETUP = String.join("\n",
                "import random, threading",
                "G, E, N = " + G + ", " + E + ", " + N,
                "d = {k: 0 for k in range(G)}",
                "l = [0] * N",
                "stop = threading.Event()",
                "counts = [0] * 4",
                "def dict_changer(i):",
                "    r = random.Random(i)",
                "    g = 0",
                "    while not stop.is_set():",
                "        g += 1",
                "        d.update({k: g for k in range(G)})",
                "        x = 1000 + r.randrange(E)",
                "        if r.random() < 0.5:",
                "            d[x] = -x",
                "        else:",
                "            d.pop(x, None)",
                "        counts[i] += 1",
                "def list_changer(i):",
                "    r = random.Random(i)",
                "    g = 0",
                "    while not stop.is_set():",
                "        g += 1",
                "        l[0:N] = [g] * N",
                "        if r.random() < 0.5:",
                "            l.append(-1)",
                "        else:",
                "            del l[N:N + 1]",
                "        counts[i] += 1",
                "threads = [threading.Thread(target=f, args=(i,)) for i, f in",
                "           enumerate([dict_changer, dict_changer, list_changer, list_changer])]",
                "for t in threads:",
                "    t.start()",
                "");

        /** The ways a Java reader takes a dict or list apart, each checked against the invariant. */
        static final String[] KINDS = {"dict.toJava(Map)", "dict.toJava(Object)", "PyDict.toMap", "PyDict.asMap()",
            "dict iterated", "list.toJava(List)", "list.toJava(Object)", "PyList.toList", "list.toJava(long[])",
            "list iterated"};

        static void run(double seconds) throws InterruptedException {
            PythonInfo info = Python.info();
            System.out.println("python=" + info.version() + (info.freeThreaded() ? "t" : "") + " gil=" + info.gilEnabled());
            Python.attach(py -> {
                py.run(SETUP);
                return null;
            });
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong javaChanges = new AtomicLong();
            Map<String, AtomicLong> reads = new ConcurrentHashMap<>();
            for (String k : KINDS) {
                reads.put(k, new AtomicLong());
            }
            AtomicLong torn = new AtomicLong();
            AtomicLong changedSizeDuringIteration = new AtomicLong();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                long seed = c;
                threads.add(start("java-changer-" + c, () -> change(seed, stop, javaChanges, problems)));
            }
            for (int r = 0; r < 2; r++) {
                int first = r;
                threads.add(start("java-reader-" + r, () -> {
                    int kind = first;
                    while (!stop.get()) {
                        String name = KINDS[kind++ % KINDS.length];
                        try {
                            String bad = Python.attach(py -> read(py, name, changedSizeDuringIteration));
                            reads.get(name).incrementAndGet();
                            if (bad != null) {
                                torn.incrementAndGet();
                                if (problems.size() < 10) {
                                    problems.add(name + ": " + bad);
                                }
                            }
                        } catch (Throwable e) {
                            problems.add(name + " threw " + e);
                            stop.set(true);
                        }
                    }
                }));
            }
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            joinOrHalt(threads, 30, "Java readers and changers");
            List<Long> pythonChanges = Python.attach(py -> {
                py.run("stop.set()\nfor t in threads:\n    t.join()\n");
                return py.eval("counts").toJava(List.class).stream().map(o -> ((Number) o).longValue()).toList();
            });
            System.out.println("pythonChanges=" + pythonChanges);
            System.out.println("javaChanges=" + javaChanges.get());
            for (String k : KINDS) {
                System.out.println("reads." + k.replace(' ', '_') + "=" + reads.get(k).get());
            }
            System.out.println("dictIterationChangedSize=" + changedSizeDuringIteration.get());
            System.out.println("torn=" + torn.get());
            System.out.println("problems=" + problems.size());
            problems.forEach(p -> System.out.println("problem: " + p));
        }

        /** One Java thread's changes, through the public API, keeping the invariant. */
        static void change(long seed, AtomicBoolean stop, AtomicLong changes, ConcurrentLinkedQueue<String> problems) {
            Random r = new Random(seed);
            long g = 1_000_000 * (seed + 1);
            try {
                while (!stop.get()) {
                    long gen = ++g;
                    Python.attach(py -> {
                        PyDict d = py.eval("d").as(PyDict.class);
                        Map<Long, Long> group = new LinkedHashMap<>();
                        for (long k = 0; k < G; k++) {
                            group.put(k, gen);
                        }
                        d.update(group); // one PyDict_Update of a converted dict: one step
                        long x = 1000 + r.nextInt(E);
                        if (r.nextBoolean()) {
                            d.put(x, -x);
                        } else {
                            d.pop(x, null);
                        }
                        PyList l = py.eval("l").as(PyList.class);
                        l.setItem(py.slice(0L, (long) N, null), Collections.nCopies(N, gen));
                        if (r.nextBoolean()) {
                            l.append(-1L);
                        } else {
                            l.delItem(py.slice((long) N, (long) N + 1, null));
                        }
                        return null;
                    });
                    changes.incrementAndGet();
                }
            } catch (Throwable e) {
                problems.add("Java changer threw " + e);
                stop.set(true);
            }
        }

        /** Reads the dict or list one way; what is wrong with what it saw, or null. */
        static String read(Python py, String kind, AtomicLong changedSize) {
            PyDict d = py.eval("d").as(PyDict.class);
            PyList l = py.eval("l").as(PyList.class);
            switch (kind) {
                case "dict.toJava(Map)":
                    return checkDict(d.toJava(Map.class));
                case "dict.toJava(Object)":
                    return checkDict((Map<?, ?>) d.toJava(Object.class));
                case "PyDict.toMap":
                    return checkDict(d.toMap(Long.class, Long.class));
                case "PyDict.asMap()": {
                    Map<Object, Object> seen = new LinkedHashMap<>();
                    for (Map.Entry<PyObject, PyObject> e : d.asMap().entrySet()) {
                        seen.put(e.getKey().toJava(long.class), e.getValue().toJava(long.class));
                    }
                    return checkDict(seen);
                }
                case "dict iterated": {
                    // Python's own iteration of a dict that others change: each key is a key the dict
                    // had, or RuntimeError("dictionary changed size during iteration"), as in Python.
                    // (py.criticalSection around it would not make it one state on CPython 3.13: its
                    // lookups and iteration lock the dict themselves when a value is not yet shared
                    // between threads, which suspends the outer section; see CriticalSectionTest.)
                    try {
                        for (PyObject k : d) {
                            long key = k.toJava(long.class);
                            if (!(key >= 0 && key < G || key >= 1000 && key < 1000 + E)) {
                                return "iteration gave key " + key;
                            }
                        }
                    } catch (PyRuntimeError e) {
                        String m = String.valueOf(e.getMessage());
                        if (!m.contains("changed size during iteration") && !m.contains("keys changed during iteration")) {
                            throw e;
                        }
                        changedSize.incrementAndGet();
                    }
                    return null;
                }
                case "list.toJava(List)":
                    return checkList(l.toJava(List.class));
                case "list.toJava(Object)":
                    return checkList((List<?>) l.toJava(Object.class));
                case "PyList.toList":
                    return checkList(l.toList(Long.class));
                case "list.toJava(long[])": {
                    long[] a = l.toJava(long[].class);
                    List<Long> boxed = new ArrayList<>(a.length);
                    for (long v : a) {
                        boxed.add(v);
                    }
                    return checkList(boxed);
                }
                case "list iterated": {
                    // Python's own iteration of a list that others change: every item is an item
                    // the list had (no snapshot is promised).
                    for (PyObject item : l) {
                        long v = item.toJava(long.class);
                        if (v < -1) {
                            return "iteration gave item " + v;
                        }
                    }
                    return null;
                }
                default:
                    throw new IllegalArgumentException(kind);
            }
        }

        /** Null when {@code m} is a state the changers can leave the dict in. */
        static String checkDict(Map<?, ?> m) {
            Long generation = null;
            for (long k = 0; k < G; k++) {
                Object v = m.get(k);
                if (!(v instanceof Long value)) {
                    return "key " + k + " maps to " + v + " in " + m;
                }
                if (generation == null) {
                    generation = value;
                } else if (!generation.equals(value)) {
                    return "generations " + generation + " and " + value + " in one copy: " + m;
                }
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                long k = ((Number) e.getKey()).longValue();
                if (k >= 0 && k < G) {
                    continue;
                }
                if (k < 1000 || k >= 1000 + E || !Long.valueOf(-k).equals(e.getValue())) {
                    return "entry " + k + "=" + e.getValue() + " in " + m;
                }
            }
            return null;
        }

        /** Null when {@code items} is a state the changers can leave the list in. */
        static String checkList(List<?> items) {
            if (items.size() < N) {
                return "only " + items.size() + " items: " + items;
            }
            Object head = items.get(0);
            for (int i = 0; i < items.size(); i++) {
                Object v = items.get(i);
                Object expected = i < N ? head : (Object) (-1L);
                if (!(v instanceof Long) || !v.equals(expected) || i < N && (Long) v < 0) {
                    return "item " + i + " is " + v + " in " + items;
                }
            }
            return null;
        }
    }

    /**
     * A thread attached to Python waits for a Java lock that another thread holds while that
     * thread needs to attach: on a GIL build the holder waits for the GIL the waiter holds; on a
     * free-threaded build a third thread's {@code gc.collect()} stops the world, which waits for the
     * attached waiter, and the holder cannot attach until the world starts again. {@code mode}
     * says how the waiter waits: {@code withLock} or {@code lock} (pyjama's, detached), or
     * {@code attached-tryLock} (a plain {@code tryLock} with a timeout while attached: the control,
     * which must run out).
     */
    static final class LockWait {

        static void run(String mode) throws InterruptedException {
            boolean freeThreaded = Python.info().freeThreaded();
            System.out.println("freeThreaded=" + freeThreaded);
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch holderHasLock = new CountDownLatch(1);
            CountDownLatch waiterAttached = new CountDownLatch(1);
            CountDownLatch collectorStarting = new CountDownLatch(1);
            AtomicBoolean holderDone = new AtomicBoolean();
            AtomicLong collections = new AtomicLong();
            ConcurrentLinkedQueue<String> out = new ConcurrentLinkedQueue<>();
            long t0 = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            threads.add(start("holder", () -> {
                lock.lock();
                try {
                    holderHasLock.countDown();
                    waiterAttached.await();
                    if (freeThreaded) {
                        collectorStarting.await();
                    }
                    // By now the waiter waits for the lock (attached or not) and, on a free-threaded
                    // build, the collector has asked for a stop-the-world pause.
                    Thread.sleep(500);
                    long v = Python.attach(py -> py.eval("6 * 7").toJava(long.class));
                    out.add("holderResult=" + v);
                } catch (Throwable e) {
                    out.add("holderError=" + e);
                } finally {
                    holderDone.set(true);
                    lock.unlock();
                }
            }));
            threads.add(start("waiter", () -> {
                try {
                    Python.attach(py -> {
                        PyObject mine = py.eval("['still usable']");
                        try {
                            holderHasLock.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        waiterAttached.countDown();
                        switch (mode) {
                            case "withLock" -> out.add("waiterResult=" + py.withLock(lock,
                                    () -> mine.getItem(0).toJava(String.class) + " after " + lock.isHeldByCurrentThread()));
                            case "lock" -> {
                                py.lock(lock);
                                try {
                                    out.add("waiterResult=" + mine.getItem(0).toJava(String.class) + " after "
                                            + lock.isHeldByCurrentThread());
                                } finally {
                                    lock.unlock();
                                }
                            }
                            case "attached-tryLock" -> {
                                boolean got;
                                try {
                                    got = lock.tryLock(3, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                                if (got) {
                                    lock.unlock();
                                }
                                out.add("attachedWaitAcquired=" + got);
                            }
                            default -> throw new IllegalArgumentException(mode);
                        }
                        return null;
                    });
                } catch (Throwable e) {
                    out.add("waiterError=" + e);
                }
            }));
            if (freeThreaded) {
                threads.add(start("collector", () -> {
                    try {
                        waiterAttached.await();
                        collectorStarting.countDown();
                        while (!holderDone.get()) {
                            long c0 = System.nanoTime();
                            Python.attach(py -> py.importModule("gc").callMethod("collect"));
                            if (collections.incrementAndGet() == 1) {
                                out.add("firstCollectionMillis=" + (System.nanoTime() - c0) / 1_000_000);
                            }
                        }
                    } catch (Throwable e) {
                        out.add("collectorError=" + e);
                    }
                }));
            }
            joinOrHalt(threads, 20, "lock-wait " + mode);
            out.forEach(System.out::println);
            System.out.println("collections=" + collections.get());
            System.out.println("millis=" + (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * What {@code Python.info()} says about the GIL, then (when {@code dir} is given) after
     * importing the extension module {@code module} from {@code dir}; also what
     * {@code sys._is_gil_enabled()} says each time.
     */
    static void gilInfo(String dir, String module) {
        print("before", Python.info());
        if (dir != null) {
            Python.attach(py -> {
                py.importModule("sys").getAttr("path").callMethod("insert", 0, dir);
                return py.importModule(module).getAttr("__name__").toJava(String.class);
            });
            print("after", Python.info());
        }
    }

    private static void print(String when, PythonInfo info) {
        Object sys = Python.attach(py -> py.eval("getattr(__import__('sys'), '_is_gil_enabled', lambda: None)()")
                .toJava(Object.class));
        System.out.println(when + ".freeThreaded=" + info.freeThreaded());
        System.out.println(when + ".gilEnabled=" + info.gilEnabled());
        System.out.println(when + ".sys._is_gil_enabled=" + sys);
        System.out.println(when + ".info=" + info);
    }
}
