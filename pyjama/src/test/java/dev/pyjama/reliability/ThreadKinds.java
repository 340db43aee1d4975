package dev.pyjama.reliability;

import dev.pyjama.Python;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Runs an attach scope on one of the thread kinds the tests cover, rethrowing what it throws. */
final class ThreadKinds {

    /** main: the JVM's main thread (1 MiB stack in the children); small: a 256 KiB platform thread; virtual. */
    static final String[] ALL = {"main", "small", "virtual"};

    private ThreadKinds() {}

    static <T> T attachOn(String kind, Function<Python, T> body) throws Exception {
        switch (kind) {
            case "main":
                return Python.attach(body);
            case "small":
                return onThread(r -> new Thread(null, r, "small", 256 * 1024), body);
            case "virtual":
                return onThread(r -> Thread.ofVirtual().name("virtual").unstarted(r), body);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static <T> T onThread(Function<Runnable, Thread> factory, Function<Python, T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = factory.apply(() -> {
            try {
                result.set(Python.attach(body));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join(120_000);
        if (t.isAlive()) {
            throw new AssertionError("thread " + t + " did not finish within 120 s");
        }
        Throwable f = failure.get();
        if (f instanceof Exception e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
