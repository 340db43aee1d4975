package dev.pyjama.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread native scratch memory for arguments that C reads during one call and does not keep
 * (string bytes, vectorcall argument arrays). Reused across calls, so the hot path allocates
 * nothing; it grows by doubling and is freed with its thread.
 *
 * <p>The byte buffer is valid until the next request on the same thread, so it only serves calls
 * that copy it at once and cannot re-enter Java; argument arrays live on a stack instead.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    private MemorySegment bytes = MemorySegment.NULL;
    private MemorySegment pointers = MemorySegment.NULL;
    private long top;

    private Scratch() {}

    /** A buffer of at least {@code size} bytes. */
    static MemorySegment bytes(long size) {
        Scratch s = CURRENT.get();
        if (s.bytes.byteSize() < size) {
            s.bytes = Arena.ofAuto().allocate(Math.max(size, Math.max(256, s.bytes.byteSize() * 2)), 8);
        }
        return s.bytes;
    }

    /**
     * Reserves {@code count} pointer slots on this thread's argument stack. Calls nest (Python may
     * call Java, which calls Python again), so the slots are a stack: each {@code push} is matched
     * by a {@link #popPointers} with the same count, in a finally block.
     */
    static MemorySegment pushPointers(long count) {
        Scratch s = CURRENT.get();
        long need = count * 8;
        if (s.pointers.byteSize() < s.top + need) {
            // Frames already handed out keep the old buffer alive through their own slices.
            s.pointers = Arena.ofAuto().allocate(Math.max(1024, 2 * (s.top + need)), 8);
        }
        MemorySegment slice = s.pointers.asSlice(s.top, need);
        s.top += need;
        return slice;
    }

    /** Releases the {@code count} slots most recently reserved by {@link #pushPointers}. */
    static void popPointers(long count) {
        CURRENT.get().top -= count * 8;
    }
}
