package dev.pyjama.threads;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Bounded waits for the thread tests: a wait that runs out fails the test with a dump of every
 * platform thread (full stacks), so a deadlock is a readable
 * failure, not a hung build.
 */
final class Watchdog {

    private Watchdog() {}

    /** Waits for {@code latch}; after {@code seconds} fails with {@code what} and a thread dump. */
    static void await(CountDownLatch latch, double seconds, String what) {
        boolean done;
        try {
            done = latch.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for: " + what, e);
        }
        if (!done) {
            throw new AssertionError("timed out after " + seconds + " s waiting for: " + what
                    + " (" + latch.getCount() + " still pending); deadlock?\n" + threadDump());
        }
    }

    /** Joins {@code t}; after {@code seconds} fails with {@code what} and a thread dump. */
    static void join(Thread t, double seconds, String what) {
        try {
            t.join((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted joining: " + what, e);
        }
        if (t.isAlive()) {
            throw new AssertionError("thread " + t + " still running after " + seconds + " s: " + what + "\n"
                    + threadDump());
        }
    }

    /** Every platform thread's full stack, with monitor and lock ownership. */
    static String threadDump() {
        StringBuilder sb = new StringBuilder("--- thread dump ---\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement f : e.getValue()) {
                sb.append("    at ").append(f).append('\n');
            }
        }
        return sb.toString();
    }

    /** Milliseconds since {@code startNanos}, for messages. */
    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
