package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;

/** Starting the interpreter: the calls made once, by the starting thread. */
public final class Lifecycle {

    private Lifecycle() {}

    /** {@code Py_IsInitialized}. */
    public static boolean isInitialized() {
        return Symbol.Py_IsInitialized.call() != 0;
    }

    /**
     * Initialises CPython without Python signal handlers ({@code Py_InitializeEx(0)}: the JVM owns
     * signals), with {@code executable} (may be null) as the program name, so that
     * {@code sys.executable}, the prefix and a virtual environment's {@code pyvenv.cfg} are found as
     * the command-line python finds them. The calling thread holds the GIL afterwards.
     */
    public static void initialize(String executable) {
        if (executable != null) {
            Symbol.Py_SetProgramName.call(wideString(executable).address());
        }
        Symbol.Py_InitializeEx.call(0);
    }

    /** The calling thread's thread state ({@code PyThreadState_Get}); it must be attached. */
    public static long currentThreadState() {
        return Symbol.PyThreadState_Get.call();
    }

    /** A NUL-terminated wchar_t string (UTF-32 on Linux and macOS) that lives as long as the process, as Py_SetProgramName requires. */
    private static MemorySegment wideString(String s) {
        byte[] bytes = s.getBytes(Charset.forName("UTF-32LE"));
        MemorySegment m = Arena.global().allocate(bytes.length + 4L, 4);
        MemorySegment.copy(bytes, 0, m, JAVA_BYTE, 0, bytes.length);
        m.set(JAVA_INT, bytes.length, 0);
        return m;
    }

    /** {@code Py_FinalizeEx}: 0, or -1 when flushing buffered data failed. The caller holds the GIL. */
    public static int finalizeInterpreter() {
        return (int) Symbol.Py_FinalizeEx.call();
    }

    /**
     * Whether this CPython finalises on its main thread state whichever thread calls
     * ({@code resolve_final_tstate} in Python/pylifecycle.c): seen in the source of 3.13.15 and of
     * the main branch, not in the behaviour of 3.13.0 and 3.14.3 (which finalise cleanly on the
     * caller's state); the 3.13 patch releases between are not verified and are taken to behave as
     * 3.13.0.
     */
    public static boolean finalizesOnMainState() {
        String[] parts = Abi.chosen().version().split("[ .+abrc]", 4); // "3.13.15 (main, ...", "3.14.0rc1+ ..."
        try {
            int minor = Integer.parseInt(parts[1]);
            int micro = Integer.parseInt(parts[2]);
            return minor >= 15 || (minor == 13 && micro >= 15);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether finalising while a daemon Python thread runs can crash this CPython: 3.10's
     * {@code take_gil} (the gh-96387 fix as 3.10 has it) reads {@code tstate->interp} after
     * {@code Py_FinalizeEx} freed the thread state of a daemon thread that had asked the GIL-holder
     * to drop it, a SIGSEGV at address 0x158 (seen at exit in pyjama's shutdown test; the
     * command-line python has the same race). 3.11 and later keep the interpreter in a local.
     */
    public static boolean finalizeRacesDaemonThreads() {
        return Abi.chosen().minor() <= 10;
    }
}
