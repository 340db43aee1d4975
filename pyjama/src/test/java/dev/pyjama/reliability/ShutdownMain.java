package dev.pyjama.reliability;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PySystemExit;
import dev.pyjama.internal.runtime.ReleaseQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM that ends in one of the ways {@link ShutdownTest} checks; the mode is the argument.
 * Every mode first makes Python print {@code pyout} without a newline and without flushing, so the
 * parent can check that Python's buffered output was flushed at exit.
 */
public final class ShutdownMain {

    private ShutdownMain() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Python.attach(py -> {
            py.run("print('pyout', end='')");
            return null;
        });
        switch (mode) {
            case "exit-with-thread-sleeping-in-python" -> {
                sleeperInPython();
                System.exit(0);
            }
            case "exit-7-with-thread-sleeping-in-python" -> {
                sleeperInPython();
                System.exit(7);
            }
            case "return-with-thread-sleeping-in-python" -> sleeperInPython();
            case "return-with-python-threads-running", "exit-with-python-threads-running" -> {
                Python.attach(py -> {
                    py.run("""
                            import threading, time
                            def _spin():
                                n = 0
                                while True:
                                    n += 1
                            def _tick():
                                while True:
                                    time.sleep(0.001)
                                    print('', end='')
                            for f in (_spin, _tick):
                                threading.Thread(target=f, daemon=True).start()
                            """);
                    return null;
                });
                Thread.sleep(300);
                if (mode.startsWith("exit")) {
                    System.exit(0);
                }
            }
            case "return-with-pending-cleaner-releases" -> {
                Python.attach(py -> {
                    for (int i = 0; i < 10_000; i++) {
                        py.scope(in -> in.eval("[object()]").unbind()); // dropped
                    }
                    return null;
                });
                for (int i = 0; i < 20 && ReleaseQueue.pendingCount() < 5_000; i++) {
                    System.gc();
                    Thread.sleep(20);
                }
                System.out.println("pending=" + ReleaseQueue.pendingCount());
            }
            case "exit-with-java-thread-holding-the-gil" -> {
                CountDownLatch in = new CountDownLatch(1);
                Thread t = new Thread(() -> Python.attach(py -> {
                    in.countDown();
                    try {
                        Thread.sleep(100_000); // Java code inside a scope: holds the GIL
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }), "gil-holder");
                t.setDaemon(true);
                t.start();
                in.await();
                System.exit(0);
            }
            case "shutdown-hook-attaches" -> Runtime.getRuntime().addShutdownHook(new Thread(ShutdownMain::hookAttach));
            case "shutdown-hook-attaches-first" -> {
                // the interpreter is already running (above); the hook is the only user at exit
                Runtime.getRuntime().addShutdownHook(new Thread(ShutdownMain::hookAttach));
                System.exit(0);
            }
            case "sys-exit-in-python-then-return" -> Python.attach(py -> {
                try {
                    py.run("import sys\nsys.exit(3)");
                } catch (PySystemExit e) {
                    System.out.println("caught=SystemExit");
                }
                return null;
            });
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static void hookAttach() {
        try {
            long v = Python.attach(py -> py.eval("6 * 7").toJava(long.class));
            System.out.println("hook=" + v);
        } catch (Throwable t) {
            System.out.println("hook-exception=" + t.getClass().getName() + ": " + t.getMessage());
        }
        System.out.flush();
    }

    /** A daemon thread blocked inside a Python call (time.sleep releases the GIL). */
    private static void sleeperInPython() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> Python.attach(py -> {
            started.countDown();
            return py.eval("__import__('time').sleep(100)");
        }), "sleeper");
        t.setDaemon(true);
        t.start();
        started.await();
        Thread.sleep(200);
        Py<PyObject> dropped = Python.attach(py -> py.eval("object()").unbind());
    }
}
