package dev.pyjama.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.testing.ForkedJvm;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * {@link Python#lock} and {@link Python#withLock}: a thread attached to Python that waits for a
 * Java lock waits detached, so it cannot deadlock with a holder that needs to attach, whether the
 * holder waits for the GIL (GIL builds) or for a stop-the-world pause that waits for the waiter
 * (free-threaded builds, where another thread's {@code gc.collect()} stops the world). The
 * deadlock cases run in forked JVMs ({@link SyncScenarios.LockWait}); a control shows that a plain
 * wait while attached does not get the lock there.
 */
class LockWhileAttachedTest {

    private static ForkedJvm.Result lockWait(String mode) {
        ForkedJvm.Result r = ForkedJvm.of(SyncScenarios.class).withPythonUnderTest().timeout(60)
                .args("lock-wait", mode).run();
        System.out.println("[LockWhileAttachedTest] " + mode + ": " + String.join(", ", r.stdout().lines()
                .filter(l -> !l.startsWith("done")).toList()));
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stdout().contains("Error="), r.describe());
        if ("true".equals(r.value("freeThreaded"))) {
            assertTrue(Long.parseLong(r.value("collections")) > 0, "no collection stopped the world\n" + r.describe());
        }
        return r;
    }

    @Test
    void withLockWaitsDetachedSoTheHolderCanAttach() {
        ForkedJvm.Result r = lockWait("withLock");
        assertEquals("42", r.value("holderResult"), r.describe());
        assertEquals("still usable after true", r.value("waiterResult"), r.describe());
    }

    @Test
    void lockWaitsDetachedSoTheHolderCanAttach() {
        ForkedJvm.Result r = lockWait("lock");
        assertEquals("42", r.value("holderResult"), r.describe());
        assertEquals("still usable after true", r.value("waiterResult"), r.describe());
    }

    /** The control: the same wait, attached, with a timeout instead of a deadlock, does not get the lock. */
    @Test
    void aPlainWaitWhileAttachedWouldDeadlock() {
        ForkedJvm.Result r = lockWait("attached-tryLock");
        assertEquals("false", r.value("attachedWaitAcquired"),
                "the holder attached while the waiter waited attached: the scenario does not reproduce the deadlock\n"
                        + r.describe());
        if ("true".equals(r.value("freeThreaded"))) {
            // the stop-the-world pause waited for the attached waiter until it gave up (3 s)
            assertTrue(Long.parseLong(r.value("firstCollectionMillis")) > 1000, r.describe());
        }
        assertEquals("42", r.value("holderResult"), "the holder attached once the waiter gave up\n" + r.describe());
    }

    @Test
    void aFreeLockIsTakenAtOnceAndHeldUntilUnlocked() {
        ReentrantLock lock = new ReentrantLock();
        Python.attach(py -> {
            PyObject list = py.list(1, 2);
            py.lock(lock);
            try {
                assertTrue(lock.isHeldByCurrentThread());
                assertEquals(2, list.len()); // the scope's objects are usable while the lock is held
                py.lock(lock); // reentrant: taken again at once
                assertEquals(2, lock.getHoldCount());
                lock.unlock();
            } finally {
                lock.unlock();
            }
            assertFalse(lock.isLocked());
            assertEquals("[1, 2]", py.withLock(lock, () -> {
                assertTrue(lock.isHeldByCurrentThread());
                return list.repr();
            }));
            assertFalse(lock.isLocked());
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> py.withLock(lock, () -> {
                throw boom;
            })));
            assertFalse(lock.isLocked(), "withLock did not unlock after the body threw");
            assertThrows(dev.pyjama.exceptions.PyZeroDivisionError.class, () -> py.withLock(lock, () -> py.eval("1 // 0")));
            assertFalse(lock.isLocked());
            assertThrows(NullPointerException.class, () -> py.lock(null));
            assertThrows(NullPointerException.class, () -> py.withLock(lock, null));
            return null;
        });
    }

    @Test
    void aContendedLockIsWaitedForAndTheScopeIsUsableAfter() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            lock.lock();
            try {
                held.countDown();
                Watchdog.await(release, 10, "the waiter to wait");
                // needs Python while it holds the lock: with the GIL, only because the waiter released it
                Python.attach(py -> py.eval("1 + 1"));
            } finally {
                lock.unlock();
            }
        }, "lock-holder");
        holder.setDaemon(true);
        holder.start();
        Watchdog.await(held, 10, "the holder to take the lock");
        String r = Python.attach(py -> {
            PyObject mine = py.eval("'mine'");
            release.countDown();
            return py.withLock(lock, () -> mine.toJava(String.class) + " " + py.eval("2 + 2").toJava(long.class));
        });
        assertEquals("mine 4", r);
        Watchdog.join(holder, 10, "the holder");
        assertFalse(lock.isLocked());
    }
}
