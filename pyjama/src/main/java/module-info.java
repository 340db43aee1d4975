/**
 * pyjama: CPython embedded in the JVM through the Foreign Function and Memory API.
 *
 * <p>{@code dev.pyjama} is the API, {@code dev.pyjama.exceptions} the Java form of Python's
 * exceptions, and {@code dev.pyjama.ffi} the raw generated bindings to libpython, for experts.
 * Run with {@code --enable-native-access=dev.pyjama} (or {@code ALL-UNNAMED} on the class path).
 */
module dev.pyjama {
    exports dev.pyjama;
    exports dev.pyjama.exceptions;
    exports dev.pyjama.ffi;

    requires jdk.unsupported; // sun.misc.Signal, for Control-C in the console
    requires java.management; // per-thread CPU time: whether virtual threads' Python carriers are blocked
    requires jdk.jfr; // Flight Recorder events (dev.pyjama.*), emitted only while a recording runs

    uses dev.pyjama.PyConverter;
}
