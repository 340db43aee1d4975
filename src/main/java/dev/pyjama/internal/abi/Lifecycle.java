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
}
