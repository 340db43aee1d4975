package dev.pyjama.internal.console;

import dev.pyjama.internal.Calls;
import dev.pyjama.internal.runtime.SupportModule;

import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.Python;
import dev.pyjama.PythonInfo;
import dev.pyjama.exceptions.PythonStartupException;

/**
 * {@code java -jar pyjama.jar [-c CODE | -m MODULE | SCRIPT.py | -] [ARGS...]}: Python's own
 * command line, running in the JVM's embedded CPython. Without arguments it opens an interactive
 * console (with tab completion when the terminal has readline); with {@code -c}, {@code -m} or a
 * script it runs that with {@code sys.argv} set, and exits with the status of {@code SystemExit}.
 * Control-C interrupts running Python code with {@code KeyboardInterrupt}.
 */
public final class ConsoleMain {

    private ConsoleMain() {}

    /**
     * Runs the console.
     *
     * @param args python-style arguments
     */
    public static void main(String[] args) {
        int status;
        try {
            PythonInfo info = Python.info();
            Thread main = Thread.currentThread();
            interruptOnControlC(main);
            String banner = "pyjama: " + info + "\nPython in the JVM. Ctrl-D (Ctrl-Z Enter on Windows) exits.";
            status = Python.attach(py -> {
                long console = SupportModule.newAttr("_console");
                try {
                    long result = Calls.call(console, new Object[] {java.util.List.of(args), banner}, null);
                    try {
                        return (int) Conversions.toLong(result);
                    } finally {
                        CApi.decRef(result);
                    }
                } finally {
                    CApi.decRef(console);
                }
            });
        } catch (PythonStartupException e) {
            System.err.println(e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** SIGINT interrupts the console's thread (which raises KeyboardInterrupt in its Python code) instead of ending the JVM. */
    private static void interruptOnControlC(Thread target) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> target.interrupt());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform, or the JVM reserves it (-Xrs): keep the default.
        }
    }
}
