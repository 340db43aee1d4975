package dev.pyjama.arrow;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The Arrow C Data Interface's three structs ({@code ArrowSchema}, {@code ArrowArray},
 * {@code ArrowArrayStream}, as in Arrow's {@code abi.h}: fixed by the spec, the same on every
 * 64-bit platform), the calls through their function pointers, and libc's {@code calloc}/{@code free}
 * for the memory this module hands to C. Nothing here knows CPython: that stays in pyjama's core.
 */
final class CData {

    private CData() {}

    // struct ArrowSchema
    static final long SCHEMA_SIZE = 72;
    static final long S_FORMAT = 0, S_NAME = 8, S_METADATA = 16, S_FLAGS = 24, S_N_CHILDREN = 32,
            S_CHILDREN = 40, S_DICTIONARY = 48, S_RELEASE = 56, S_PRIVATE = 64;
    static final long FLAG_DICTIONARY_ORDERED = 1, FLAG_NULLABLE = 2, FLAG_MAP_KEYS_SORTED = 4;

    // struct ArrowArray
    static final long ARRAY_SIZE = 80;
    static final long A_LENGTH = 0, A_NULL_COUNT = 8, A_OFFSET = 16, A_N_BUFFERS = 24, A_N_CHILDREN = 32,
            A_BUFFERS = 40, A_CHILDREN = 48, A_DICTIONARY = 56, A_RELEASE = 64, A_PRIVATE = 72;

    // struct ArrowArrayStream
    static final long STREAM_SIZE = 40;
    static final long ST_GET_SCHEMA = 0, ST_GET_NEXT = 8, ST_GET_LAST_ERROR = 16, ST_RELEASE = 24, ST_PRIVATE = 32;

    /** All of memory, for reading and writing the structs at the addresses C hands over. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final Linker LINKER = Linker.nativeLinker();
    /** {@code void (*)(struct *)}: every {@code release}. */
    private static final MethodHandle CALL_VOID_P = LINKER.downcallHandle(FunctionDescriptor.ofVoid(JAVA_LONG));
    /** {@code int (*)(stream *, out *)}: {@code get_schema}, {@code get_next}. */
    private static final MethodHandle CALL_INT_PP = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** {@code const char *(*)(stream *)}: {@code get_last_error}. */
    private static final MethodHandle CALL_P_P = LINKER.downcallHandle(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final MethodHandle CALLOC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("calloc").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.critical(false));
    private static final MethodHandle FREE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_LONG),
            Linker.Option.critical(false));

    static long word(long address) {
        return ALL.get(JAVA_LONG_UNALIGNED, address);
    }

    static void putWord(long address, long value) {
        ALL.set(JAVA_LONG_UNALIGNED, address, value);
    }

    static int int32(long address) {
        return ALL.get(JAVA_INT_UNALIGNED, address);
    }

    /** The NUL-terminated UTF-8 string at {@code address}, or null for NULL. */
    static String string(long address) {
        return address == 0 ? null : ALL.getString(address, StandardCharsets.UTF_8);
    }

    /** Zeroed C memory (never 0: throws {@link OutOfMemoryError}). */
    static long calloc(long bytes) {
        try {
            long p = (long) CALLOC.invokeExact(1L, Math.max(bytes, 1L));
            if (p == 0) {
                throw new OutOfMemoryError("calloc(" + bytes + ") failed");
            }
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Runs the {@code release} callback of a struct this module owns (at {@code releaseOffset}; none
     * when it was moved out or already released), attached, since producers may drop Python objects,
     * then frees the struct's memory.
     */
    static void releaseAttachedAndFree(long struct, long releaseOffset) {
        try {
            long r = word(struct + releaseOffset);
            if (r != 0) {
                dev.pyjama.Python.attach(py -> {
                    callRelease(r, struct);
                    return null;
                });
            }
        } finally {
            free(struct);
        }
    }

    /** Calls {@code fn(struct)}: a {@code release} callback. */
    static void callRelease(long fn, long struct) {
        try {
            CALL_VOID_P.invokeExact(MemorySegment.ofAddress(fn), struct);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls {@code fn(stream, out)}: {@code get_schema} or {@code get_next}; returns the errno. */
    static int callIntPP(long fn, long stream, long out) {
        try {
            return (int) CALL_INT_PP.invokeExact(MemorySegment.ofAddress(fn), stream, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls {@code fn(stream)}: {@code get_last_error}. */
    static long callPP(long fn, long stream) {
        try {
            return (long) CALL_P_P.invokeExact(MemorySegment.ofAddress(fn), stream);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A C string in {@code calloc}'d memory; the caller frees it. */
    static long newString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long p = calloc(b.length + 1L);
        MemorySegment.copy(b, 0, ALL, java.lang.foreign.ValueLayout.JAVA_BYTE, p, b.length);
        return p;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    static MemorySegment segment(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    static final java.lang.foreign.AddressLayout POINTER = ADDRESS;
}
