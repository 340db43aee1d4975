package dev.pyjama.internal.abi;

/**
 * Where a failed C call's pending Python error becomes a Java exception. The translation (exception
 * classes, traceback frames, the Java exception a Python error may carry) belongs to the layers
 * above; they install it once, at start, before the first checked call.
 */
public final class PendingError {

    /** Turns the pending Python error into a Java exception and clears it; makes new Python errors. */
    public interface Translator {
        /** The pending Python error as a Java exception, the error indicator cleared. */
        RuntimeException fetch();

        /** A Python {@code ValueError} with {@code message}, as a Java exception. */
        RuntimeException valueError(String message);
    }

    private static volatile Translator translator;

    private PendingError() {}

    /** Installs the translation (once, at start). */
    public static void install(Translator t) {
        translator = t;
    }

    /** The pending Python error as a Java exception, the error indicator cleared. */
    public static RuntimeException fetch() {
        Translator t = translator;
        if (t == null) {
            return new IllegalStateException("a Python error occurred before pyjama's error translation was installed");
        }
        return t.fetch();
    }

    /** A Python {@code ValueError} with {@code message}, as a Java exception. */
    public static RuntimeException valueError(String message) {
        Translator t = translator;
        if (t == null) {
            return new IllegalArgumentException(message);
        }
        return t.valueError(message);
    }
}
