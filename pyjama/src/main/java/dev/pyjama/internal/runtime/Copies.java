package dev.pyjama.internal.runtime;

import java.util.Properties;

/**
 * The copies of pyjama in this JVM, one per class loader that loaded it (an application server's
 * per-application loaders, Flink's per-job loaders, Spark's user class path), and the one CPython
 * they share: a process has one libpython and one interpreter, whichever copy started it.
 *
 * <p>Copies share no Java class, so what they know of each other lives in the one place every
 * class loader sees, the system properties (a {@code java.base} object), updated under that
 * object's own lock:
 * <ul>
 *   <li>{@value #LIBRARY}: the libpython file the first copy loaded and started, and
 *       {@value #EXECUTABLE}, the python it was found through (empty if none): a later copy
 *       uses that interpreter, whatever it would have discovered itself.</li>
 *   <li>{@value #COUNT}: how many copies have started or joined it. With more than one, no copy
 *       finalises Python at exit: each copy knows only its own threads, so none can tell that no
 *       thread of another copy is inside Python ({@link ExitGate}); Python's standard streams are
 *       still flushed by each.</li>
 * </ul>
 */
final class Copies {

    static final String LIBRARY = "dev.pyjama.runtime.library";
    static final String EXECUTABLE = "dev.pyjama.runtime.executable";
    static final String COUNT = "dev.pyjama.runtime.copies";

    /**
     * The lock under which a copy starts or joins the interpreter: a string literal, which the JVM
     * interns, so every copy's constant is the same object whatever its class loader. Not the
     * system properties' own lock, which the JDK's {@code setProperty} takes and a start would
     * hold for as long as CPython takes to initialise.
     */
    static final Object START_LOCK = "dev.pyjama.runtime.start-lock";

    /** Whether this copy joined an interpreter another copy had started. */
    private static volatile boolean joined;

    private Copies() {}

    /** The libpython another copy started, or null if no copy has started Python in this JVM. */
    static String runningLibrary() {
        Properties p = System.getProperties();
        synchronized (p) {
            return p.getProperty(LIBRARY);
        }
    }

    /** The python executable the running interpreter was found through, or null. */
    static String runningExecutable() {
        Properties p = System.getProperties();
        synchronized (p) {
            String exe = p.getProperty(EXECUTABLE);
            return exe == null || exe.isEmpty() ? null : exe;
        }
    }

    /** Records that this copy started the interpreter from {@code library}. */
    static void started(String library, String executable) {
        Properties p = System.getProperties();
        synchronized (p) {
            p.setProperty(LIBRARY, library);
            p.setProperty(EXECUTABLE, executable == null ? "" : executable);
            p.setProperty(COUNT, "1");
        }
    }

    /** Records that this copy joined the running interpreter. */
    static void joined() {
        Properties p = System.getProperties();
        synchronized (p) {
            p.setProperty(COUNT, Integer.toString(count() + 1));
        }
        joined = true;
    }

    /** Whether this copy joined an interpreter that another copy started. */
    static boolean isJoined() {
        return joined;
    }

    /** How many copies started or joined the interpreter (0 before any did). */
    static int count() {
        Properties p = System.getProperties();
        synchronized (p) {
            String n = p.getProperty(COUNT);
            try {
                return n == null ? 0 : Integer.parseInt(n);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
