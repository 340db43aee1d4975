package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Keeps recursion inside the Java thread's stack.
 *
 * <p>CPython's recursion limits are sized for the 8 MiB stack of the command-line python's main
 * thread. A Java thread's stack is usually 1 MiB, or smaller when its creator asks (256 KiB is
 * common), and a native stack overflow takes the whole JVM down. Measured here with a 1 MiB stack:
 * 3.10 overflows after about 2,400 levels of Python recursion and 1,800 of a recursive
 * {@code repr}, 3.11 after about 2,000 levels of {@code repr} (its Python calls no longer use the
 * C stack), 3.13 allows 10,000 levels of C recursion; 3.12 stops at its own small C limit.
 *
 * <p>So when a Java thread gets its thread state, its recursion budget is fitted to its stack at a
 * conservative {@value #BYTES_PER_LEVEL} bytes per level (measured: 400 to 550): on 3.10 the depth
 * counter starts higher, on 3.11 the remaining count is lowered, on 3.12 and 3.13 the remaining C
 * recursion. Each write checks the neighbouring fields first (they must hold the interpreter's
 * recursion limit or CPython's defaults) and writes nothing when the layout is not the expected
 * one. 3.14 checks the real stack bounds itself.
 *
 * <p>Java functions called from Python add Java frames to each level (about 4 KiB measured), so
 * their nesting gets a budget of its own: {@link #callbackDepthLimit()}.
 */
public final class ThreadStateLayout {

    static final long BYTES_PER_LEVEL = 768;
    static final long BYTES_PER_CALLBACK = 8 * 1024;

    private ThreadStateLayout() {}

    /** The part of a stack that recursion may use: the JVM's frames below need the rest. */
    private static long usable(long stack) {
        return stack - Math.min(256 * 1024, stack / 4);
    }

    /** Fits the calling thread's recursion budget to its stack; {@code tstate} is its fresh thread state. */
    public static void fitToStack(long tstate) {
        int minor = Abi.minor();
        long stack = currentThreadStackSize();
        if (stack <= 0 || !Abi.chosen().stackGuard()) {
            return;
        }
        int budget = (int) Math.max(50, Math.min(Integer.MAX_VALUE, usable(stack) / BYTES_PER_LEVEL));
        int limit = (int) Symbol.Py_GetRecursionLimit.call();
        MemorySegment ts = MemorySegment.ofAddress(tstate).reinterpret(64);
        switch (minor) {
            case 10 -> {
                // struct _ts { prev, next, interp, frame; int recursion_depth; ... }: a fresh state has
                // no frame and depth 0. Starting deeper leaves `budget` levels before RecursionError.
                if (ts.get(java.lang.foreign.ValueLayout.JAVA_LONG, 24) == 0 && ts.get(JAVA_INT, 32) == 0 && budget < limit) {
                    ts.set(JAVA_INT, 32, limit - budget);
                }
            }
            case 11 -> {
                // { prev, next, interp; int _initialized, _static, recursion_remaining, recursion_limit; ... }
                if (ts.get(JAVA_INT, 36) == limit && ts.get(JAVA_INT, 32) == limit && budget < limit) {
                    ts.set(JAVA_INT, 32, budget);
                }
            }
            case 12 -> {
                // { prev, next, interp; _status (4 bytes); int py_recursion_remaining, py_recursion_limit,
                //   c_recursion_remaining; ... }
                lower(ts, 32, limit, 36, budget);
            }
            case 13 -> {
                // { prev, next, interp, eval_breaker; _status; int _whence, state, py_recursion_remaining,
                //   py_recursion_limit, c_recursion_remaining; ... }
                lower(ts, 48, limit, 52, budget);
            }
            default -> {
                // 3.14 and later guard the C stack by its real bounds.
            }
        }
    }

    /** Lowers c_recursion_remaining when the py_recursion_limit beside it proves the layout. */
    private static void lower(MemorySegment ts, long pyLimitOffset, int limit, long cRemainingOffset, int budget) {
        int cRemaining = ts.get(JAVA_INT, cRemainingOffset);
        if (ts.get(JAVA_INT, pyLimitOffset) == limit && cRemaining > 0 && cRemaining <= 10_000 && budget < cRemaining) {
            ts.set(JAVA_INT, cRemainingOffset, budget);
        }
    }

    /** How deeply Java functions called from Python may nest on the calling thread. */
    public static int callbackDepthLimit() {
        long stack = currentThreadStackSize();
        if (stack <= 0) {
            return 100; // unknown stack: as deep as a 1 MiB stack allows
        }
        return (int) Math.max(4, Math.min(100_000, usable(stack) / BYTES_PER_CALLBACK));
    }

    /**
     * The size in bytes of the calling OS thread's stack ({@code pthread_getattr_np}, glibc), or -1
     * when it cannot be told.
     */
    public static long currentThreadStackSize() {
        try (Arena arena = Arena.ofConfined()) {
            // pthread_attr_t is 56 bytes on x86_64 glibc, 64 on aarch64; the size follows it.
            MemorySegment memory = arena.allocate(264, 16);
            long attr = memory.address();
            long size = attr + 256;
            long self = Symbol.pthread_self.call();
            if ((int) Symbol.pthread_getattr_np.call(self, attr) != 0) {
                return -1;
            }
            try {
                if ((int) Symbol.pthread_attr_getstacksize.call(attr, size) != 0) {
                    return -1;
                }
                return memory.get(java.lang.foreign.ValueLayout.JAVA_LONG, 256);
            } finally {
                Symbol.pthread_attr_destroy.call(attr);
            }
        } catch (UnsatisfiedLinkError notGlibc) {
            return -1; // the caller leaves CPython's defaults alone
        }
    }
}
