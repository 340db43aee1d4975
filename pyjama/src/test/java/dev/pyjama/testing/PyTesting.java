package dev.pyjama.testing;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the tests. */
public final class PyTesting {

    private PyTesting() {}

    /**
     * {@code sys.getrefcount(obj)}, as Python reports it. The call itself adds temporary
     * references, so only differences between two readings are meaningful.
     */
    public static long refcount(Python py, PyObject obj) {
        return py.scope(inner -> inner.importModule("sys").callMethod("getrefcount", obj).toJava(long.class));
    }

    /** {@code sys.version_info[1]}. */
    public static int minor(Python py) {
        return py.eval("__import__('sys').version_info[1]").toJava(int.class);
    }

    /** The minor version of the interpreter the tests run against, attaching briefly. */
    public static int minor() {
        return Python.attach(PyTesting::minor);
    }

    /** Waits for the latch, failing the test (rather than hanging) after {@code seconds}. */
    public static void await(CountDownLatch latch, int seconds, String what) {
        try {
            if (!latch.await(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for: " + what, e);
        }
    }

    /**
     * Polls {@code condition} (running {@code System.gc()} between polls) until it holds or
     * {@code timeout} passes; returns whether it held.
     */
    public static boolean eventuallyWithGc(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Whether the interpreter under test is a free-threaded build ({@code Py_GIL_DISABLED}), attaching briefly. */
    public static boolean freeThreaded() {
        Boolean b = freeThreaded;
        if (b == null) {
            freeThreaded = b = Python.info().freeThreaded();
        }
        return b;
    }

    private static volatile Boolean freeThreaded;

    /**
     * On a free-threaded build, applies the releases CPython has handed to other threads, by a
     * garbage collection; nothing on a GIL build. Such a build counts an object's references in two
     * parts (biased reference counting): the thread that made it counts its own, other threads a
     * shared count. When another thread drops the last shared reference of an object whose owner
     * still counts one of its own, it is not freed there: it goes on the owner's queue
     * ({@code _Py_DecRefSharedIsDead} in Objects/object.c, {@code _Py_brc_queue_object} in
     * Python/brc.c), and is freed when the owner next runs Python code
     * ({@code _Py_HandlePending} in Python/ceval_gil.c) or when a collection merges every thread's
     * queue ({@code merge_all_queued_objects} in Python/gc_free_threading.c). An owner whose thread
     * state is gone does not queue: the dropping thread frees it then. A Java thread that made the
     * object and never runs Python again keeps its queue until the next collection.
     */
    public static void mergeHandedOffReleases(Python py) {
        if (freeThreaded()) {
            py.scope(in -> in.importModule("gc").callMethod("collect"));
        }
    }

    /** The python executable (or libpython) the tests were asked to use, or null. */
    public static String configuredPython() {
        String p = System.getProperty("pyjama.python");
        return p == null || p.isBlank() ? null : p.strip();
    }

    /**
     * The ABI mode the tests run in ({@code -Dpyjama.abi}, e.g. {@code portable}), or null: every
     * forked JVM gets it too, so a portable-mode leg tests portable mode in its children as well.
     */
    public static String configuredAbi() {
        String a = System.getProperty("pyjama.abi");
        return a == null || a.isBlank() ? null : a.strip();
    }
}
