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
 *
 * <p>{@code java -jar pyjama.jar facade ...} runs the facade generator instead
 * ({@link dev.pyjama.internal.facade.FacadeGenerator#run}).
 */
public final class ConsoleMain {

    private ConsoleMain() {}

    /**
     * Runs the console.
     *
     * @param args python-style arguments
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("facade")) {
            // The facade generator's command form (a script named "facade" runs as ./facade).
            int status = 1;
            try {
                status = dev.pyjama.internal.facade.FacadeGenerator.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (PythonStartupException e) {
                System.err.println(e.getMessage());
            } catch (RuntimeException e) {
                System.err.println("pyjama facade: failed: " + e);
                e.printStackTrace();
            }
            System.out.flush();
            System.err.flush();
            System.exit(status);
        }
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
