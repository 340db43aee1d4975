package dev.pyjama.internal.abi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread native scratch memory for arguments that C reads during one call and does not keep
 * (string bytes, vectorcall argument arrays). Reused across calls, so the hot path allocates
 * nothing; it grows by doubling and is freed with its thread.
 *
 * <p>The byte buffer is valid until the next request on the same thread, so it only serves calls
 * that copy it at once and cannot re-enter Java; argument arrays, out-parameters that outlive a
 * call into Python code, and critical sections ({@link CriticalSections}) live on a stack instead.
 */
public final class Scratch {

    // A subclass rather than ThreadLocal.withInitial: no lambda class to spin at start-up.
    private static final ThreadLocal<Scratch> CURRENT = new ThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private MemorySegment bytes = MemorySegment.NULL;
    private MemorySegment pointers = MemorySegment.NULL;
    /** {@code pointers}' address and size, read on every call without going through the segment. */
    private long pointersBase;
    private long pointersSize;
    private long top;
    /** Critical sections this thread began through {@link CriticalSections} and has not ended (they live on the stack below). */
    int criticalSections;

    private Scratch() {}

    /** A buffer of at least {@code size} bytes. */
    public static MemorySegment bytes(long size) {
        Scratch s = current();
        if (s.bytes.byteSize() < size) {
            s.bytes = Arena.ofAuto().allocate(Math.max(size, Math.max(256, s.bytes.byteSize() * 2)), 8);
        }
        return s.bytes;
    }

    /** Strings longer than this get a char or byte array of their own rather than growing the thread's. */
    private static final int CHARS_LIMIT = 1 << 16;

    private char[] chars = new char[0];

    /**
     * A char array of at least {@code n} elements, this thread's own up to {@value #CHARS_LIMIT}
     * (valid until the next request on the same thread), a fresh one beyond.
     */
    public static char[] chars(int n) {
        if (n > CHARS_LIMIT) {
            return new char[n];
        }
        Scratch s = current();
        if (s.chars.length < n) {
            s.chars = new char[grown(s.chars.length, n)];
        }
        return s.chars;
    }

    /** The new length of a thread's array that must hold {@code n}: doubled, at least 256, capped. */
    private static int grown(int length, int n) {
        return Math.max(n, Math.min(CHARS_LIMIT, Math.max(256, length * 2)));
    }

    private byte[] byteArray = new byte[0];

    /**
     * A byte array of at least {@code n} elements, this thread's own up to {@value #CHARS_LIMIT}
     * (valid until the next request on the same thread), a fresh one beyond.
     */
    public static byte[] byteArray(int n) {
        if (n > CHARS_LIMIT) {
            return new byte[n];
        }
        Scratch s = current();
        if (s.byteArray.length < n) {
            s.byteArray = new byte[grown(s.byteArray.length, n)];
        }
        return s.byteArray;
    }

    /** An 8-byte out-parameter slot of this thread, for one C call that writes a result through a pointer. */
    private MemorySegment slot = MemorySegment.NULL;

    /** The address of this thread's out-parameter slot (valid until the next call that uses it). */
    public static long slot() {
        Scratch s = current();
        if (s.slot.byteSize() == 0) {
            s.slot = Arena.ofAuto().allocate(8, 8);
        }
        return s.slot.address();
    }

    /** The calling thread's scratch memory (one thread-local lookup; a caller that keeps it for its thread skips it). */
    public static Scratch current() {
        return CURRENT.get();
    }

    /** Buffers replaced while frames still used them, kept reachable until the stack empties. */
    private java.util.ArrayList<MemorySegment> retired;

    /**
     * The address of {@code count} pointer slots reserved on this thread's argument stack. Calls
     * nest (Python may call Java, which calls Python again), so the slots are a stack: each
     * {@code push} is matched by a {@link #pop} with the same count, in a finally block.
     */
    public long push(long count) {
        long need = count * 8;
        if (pointersSize < top + need) {
            grow(need);
        }
        long address = pointersBase + top;
        top += need;
        return address;
    }

    private void grow(long need) {
        if (top > 0) {
            if (retired == null) {
                retired = new java.util.ArrayList<>();
            }
            retired.add(pointers); // outer frames still point into it
        }
        pointers = Arena.ofAuto().allocate(Math.max(1024, 2 * (top + need)), 8);
        pointersBase = pointers.address();
        pointersSize = pointers.byteSize();
    }

    /** Releases the {@code count} slots most recently reserved by {@link #push}. */
    public void pop(long count) {
        top -= count * 8;
        if (top == 0 && retired != null) {
            retired = null;
        }
    }

    // --- Py_buffer structs ---

    /** Free {@code Py_buffer} structs of this thread (addresses), reused by the next view. */
    private long[] freeViews = new long[0];
    private int freeViewCount;
    /** The blocks the structs were carved from, kept reachable while this thread's scratch lives. */
    private java.util.ArrayList<MemorySegment> viewBlocks;

    /**
     * The address of a {@code Py_buffer} of {@code size} bytes (not cleared) for one view of this thread,
     * until {@link #giveView} hands it back: views end in any order, so they come from a free list
     * rather than the argument stack. The memory lives as long as the thread's scratch.
     */
    public long takeView(long size) {
        if (freeViewCount == 0) {
            int n = 16;
            MemorySegment block = Arena.ofAuto().allocate(size * n, 8);
            if (viewBlocks == null) {
                viewBlocks = new java.util.ArrayList<>();
            }
            viewBlocks.add(block);
            if (freeViews.length < n) {
                freeViews = java.util.Arrays.copyOf(freeViews, Math.max(n, freeViews.length * 2));
            }
            for (int i = n - 1; i >= 0; i--) {
                freeViews[freeViewCount++] = block.address() + i * size;
            }
        }
        return freeViews[--freeViewCount];
    }

    /** Hands back a struct from {@link #takeView} once its view was released. */
    public void giveView(long view) {
        if (freeViewCount == freeViews.length) {
            freeViews = java.util.Arrays.copyOf(freeViews, freeViews.length * 2);
        }
        freeViews[freeViewCount++] = view;
    }
}
