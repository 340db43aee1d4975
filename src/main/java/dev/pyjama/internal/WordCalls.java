package dev.pyjama.internal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * C calls in word form: every argument and the result carried as one 64-bit integer, so that the
 * calls from JVM start to the first Python result share four downcall shapes, one per arity, where
 * their C signatures would need a dozen. Linking a shape generates and loads a stub class, some
 * 5 ms each at start-up; the generated bindings declare every function with its own C types (and
 * spin a lambda class per function), so the start path does not use them.
 *
 * <p>Word form is exact for the functions called through it: pointers, {@code Py_ssize_t},
 * {@code long} and {@code unsigned long} are words already; a C {@code int} argument is passed
 * sign-extended in a 64-bit register and an {@code int} result read from the low half of one, which
 * is how the 64-bit calling conventions pyjama runs on (x86-64 System V, AArch64) pass integers of
 * up to eight bytes in registers; a {@code void} function's result word is ignored. Not for variadic
 * functions, floating-point or struct arguments, or more than three arguments.
 *
 * <p>The handles take the function's address as their first argument: a call site that keeps the
 * address in a {@code static final} field is as fast as a bound handle, and one-time calls look
 * their symbol up where they are made.
 */
final class WordCalls {

    private static final Linker LINKER = Linker.nativeLinker();

    private static final MethodHandle W0 = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle W1 = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final MethodHandle W2 = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle W3 = LINKER.downcallHandle(
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));

    private WordCalls() {}

    /** A libpython function (libpython is loaded into the class loader), or UnsatisfiedLinkError. */
    static MemorySegment python(String name) {
        return found(SymbolLookup.loaderLookup().find(name), name, "libpython");
    }

    /** A function of the C library, or UnsatisfiedLinkError. */
    static MemorySegment libc(String name) {
        return found(LINKER.defaultLookup().find(name), name, "libc");
    }

    // No Optional.orElseThrow(Supplier): a lambda is a class spun at start-up, some 0.5 ms each.
    private static MemorySegment found(Optional<MemorySegment> symbol, String name, String library) {
        if (symbol.isEmpty()) {
            throw new UnsatisfiedLinkError(library + " does not export " + name);
        }
        return symbol.get();
    }

    static long call(MemorySegment function) {
        try {
            return (long) W0.invokeExact(function);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long call(MemorySegment function, long a) {
        try {
            return (long) W1.invokeExact(function, a);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long call(MemorySegment function, long a, long b) {
        try {
            return (long) W2.invokeExact(function, a, b);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long call(MemorySegment function, long a, long b, long c) {
        try {
            return (long) W3.invokeExact(function, a, b, c);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
