package dev.pyjama.testing;

import dev.pyjama.PyModule;
import dev.pyjama.Python;
import dev.pyjama.PythonConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main class that forked-JVM tests run. Each argument is a step, done in order:
 * {@code info} (prints version, prefix, base_prefix, executable), {@code import:NAME} (prints the
 * module's file), {@code initialize:PATH} ({@code Python.initialize(PythonConfig.of(PATH))}),
 * {@code gil-handoff} (the first, initialising thread leaves its scope and another thread must be
 * able to attach while it idles). Output is {@code key=value} lines. Any exception prints
 * {@code exception=<class>} and the message after a {@code message:} line, and exits with 3.
 */
public final class ProbeMain {

    private ProbeMain() {}

    public static void main(String[] args) {
        try {
            for (String step : args) {
                step(step);
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

    private static void step(String step) throws InterruptedException {
        if (step.equals("info")) {
            Python.attach(py -> {
                PyModule sys = py.importModule("sys");
                System.out.println("version=" + py.eval("'%d.%d' % __import__('sys').version_info[:2]")
                        .toJava(String.class));
                System.out.println("prefix=" + sys.getAttr("prefix").toJava(String.class));
                System.out.println("base_prefix=" + sys.getAttr("base_prefix").toJava(String.class));
                System.out.println("executable=" + sys.getAttr("executable").toJava(String.class));
                System.out.println("math=" + py.importModule("math").callMethod("sqrt", 16.0).toJava(double.class));
                return null;
            });
        } else if (step.startsWith("import:")) {
            String name = step.substring("import:".length());
            Python.attach(py -> {
                PyModule m = py.importModule(name);
                System.out.println("imported:" + name + "=" + m.getAttr("__file__").toJava(String.class));
                if (m.hasAttr("VALUE")) {
                    System.out.println("value:" + name + "=" + m.getAttr("VALUE").toJava(String.class));
                }
                return null;
            });
        } else if (step.startsWith("initialize:")) {
            Python.initialize(PythonConfig.of(step.substring("initialize:".length())));
            System.out.println("initialized=" + step.substring("initialize:".length()));
        } else if (step.equals("gil-handoff")) {
            gilHandoff();
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
        System.out.flush();
    }

    /** This thread initialises Python; then another platform thread must get the GIL while it idles. */
    private static void gilHandoff() throws InterruptedException {
        long first = Python.attach(py -> py.eval("21 * 2").toJava(long.class));
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong other = new AtomicLong();
        Thread t = new Thread(() -> {
            other.set(Python.attach(py -> py.eval("6 * 7").toJava(long.class)));
            done.countDown();
        }, "other");
        t.setDaemon(true);
        t.start();
        if (!done.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("another thread could not attach within 20 s: the initialising thread "
                    + "kept the GIL");
        }
        System.out.println("gil-handoff=" + first + "," + other.get());
    }
}
