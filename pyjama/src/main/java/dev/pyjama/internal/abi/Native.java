package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The one way pyjama calls C: downcalls in word form, one handle per shape, the function's address
 * passed as the first argument. Every argument and result is a 64-bit word (see {@link Symbol}), so
 * all of libpython needs a handful of shapes where its C signatures would need dozens; linking a shape
 * generates a stub class (some 5 ms at start-up), so fewer shapes start faster.
 *
 * <p>Word form is exact on the 64-bit calling conventions pyjama runs on (x86-64 System V, AArch64):
 * pointers, {@code Py_ssize_t}, {@code long long} and {@code unsigned long} are words; a C {@code int}
 * argument is passed sign-extended in a 64-bit register and an {@code int} result is read from the
 * low half of one; a {@code void} function's result word is ignored. Not for variadic functions or
 * struct arguments.
 *
 * <p>A call site keeps its function's address in a {@code static final} field and calls
 * {@link #call} or {@link #critical}; the JIT then treats both as constants, as fast as a handle
 * bound to the function. Cold code calls through {@link Symbol#call}. Ordinary and critical shapes
 * live in separate holders, each linked on first use.
 */
public final class Native {

    private static final Linker LINKER = Linker.nativeLinker();

    /**
     * All of memory, for reading and writing words by address without a segment per access (and
     * without the restricted-method check of {@code reinterpret} each time).
     */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Native() {}

    private static MethodHandle words(int arity, boolean critical) {
        var args = new java.lang.foreign.MemoryLayout[arity];
        java.util.Arrays.fill(args, JAVA_LONG);
        FunctionDescriptor fd = FunctionDescriptor.of(JAVA_LONG, args);
        return critical ? LINKER.downcallHandle(fd, Linker.Option.critical(false)) : LINKER.downcallHandle(fd);
    }

    /** The ordinary shapes, all needed on the way to the first result. */
    private static final class Ordinary {
        static final MethodHandle W0 = words(0, false);
        static final MethodHandle W1 = words(1, false);
        static final MethodHandle W2 = words(2, false);
        static final MethodHandle W3 = words(3, false);
    }

    private static final class Ordinary4 {
        static final MethodHandle W4 = words(4, false);
    }

    private static final class Critical0 {
        static final MethodHandle W0 = words(0, true);
    }

    private static final class Critical1 {
        static final MethodHandle W1 = words(1, true);
    }

    private static final class Critical2 {
        static final MethodHandle W2 = words(2, true);
    }

    private static final class Critical3 {
        static final MethodHandle W3 = words(3, true);
    }

    private static final class OrdinaryDoubles {
        static final MethodHandle TO_DOUBLE = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_LONG));
    }

    private static final class Doubles {
        static final MethodHandle FROM_DOUBLE = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG, JAVA_DOUBLE),
                Linker.Option.critical(false));
        static final MethodHandle TO_DOUBLE = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_DOUBLE, JAVA_LONG),
                Linker.Option.critical(false));
    }

    public static long call(MemorySegment function) {
        try {
            return (long) Ordinary.W0.invokeExact(function);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long call(MemorySegment function, long a) {
        try {
            return (long) Ordinary.W1.invokeExact(function, a);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long call(MemorySegment function, long a, long b) {
        try {
            return (long) Ordinary.W2.invokeExact(function, a, b);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long call(MemorySegment function, long a, long b, long c) {
        try {
            return (long) Ordinary.W3.invokeExact(function, a, b, c);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long call(MemorySegment function, long a, long b, long c, long d) {
        try {
            return (long) Ordinary4.W4.invokeExact(function, a, b, c, d);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long critical(MemorySegment function) {
        try {
            return (long) Critical0.W0.invokeExact(function);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long critical(MemorySegment function, long a) {
        try {
            return (long) Critical1.W1.invokeExact(function, a);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long critical(MemorySegment function, long a, long b) {
        try {
            return (long) Critical2.W2.invokeExact(function, a, b);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long critical(MemorySegment function, long a, long b, long c) {
        try {
            return (long) Critical3.W3.invokeExact(function, a, b, c);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static long criticalFromDouble(MemorySegment function, double a) {
        try {
            return (long) Doubles.FROM_DOUBLE.invokeExact(function, a);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static double criticalToDouble(MemorySegment function, long a) {
        try {
            return (double) Doubles.TO_DOUBLE.invokeExact(function, a);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static double toDouble(MemorySegment function, long a) {
        try {
            return (double) OrdinaryDoubles.TO_DOUBLE.invokeExact(function, a);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
