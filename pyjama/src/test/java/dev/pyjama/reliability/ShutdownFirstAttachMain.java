package dev.pyjama.reliability;

import dev.pyjama.Python;

/** A child JVM whose only use of Python is in a shutdown hook: the interpreter starts during shutdown. */
public final class ShutdownFirstAttachMain {

    private ShutdownFirstAttachMain() {}

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                long v = Python.attach(py -> {
                    py.run("print('pyout', end='')");
                    return py.eval("6 * 7").toJava(long.class);
                });
                System.out.println("hook=" + v);
            } catch (Throwable t) {
                System.out.println((attempt == 1 ? "hook-exception=" : "hook-exception-again=")
                        + t.getClass().getName() + ": " + t.getMessage());
            }
            }
            System.out.flush();
        }));
        System.out.println("main-done");
    }
}
