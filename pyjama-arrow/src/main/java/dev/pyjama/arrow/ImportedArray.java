package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One {@code ArrowArray} that C exported and Java now owns (moved into {@link #struct}, C memory of
 * this module), and the count of Java buffers that still point into it. When the last one is
 * released, the producer's {@code release} runs, exactly once, attached to Python (the producer may
 * drop Python objects; pyjama attaches whatever thread this is), then the struct is freed.
 */
final class ImportedArray {

    private final long struct;
    /** One for the importer while it loads, one per live buffer manager. */
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Takes over {@code source}: copies the struct here and marks the source released (the C Data Interface's move). */
    ImportedArray(long source) {
        struct = calloc(ARRAY_SIZE);
        segment(struct, ARRAY_SIZE).copyFrom(segment(source, ARRAY_SIZE));
        putWord(source + A_RELEASE, 0);
    }

    long struct() {
        return struct;
    }

    void retain() {
        if (refs.getAndIncrement() <= 0) {
            throw new IllegalStateException("imported Arrow array already released");
        }
    }

    void release() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            releaseAttachedAndFree(struct, A_RELEASE);
        } else if (left < 0) {
            throw new IllegalStateException("imported Arrow array released twice");
        }
    }

    /** A Java buffer over {@code size} bytes of the producer's memory at {@code address}; it holds a share of this array. */
    ArrowBuf buffer(BufferAllocator allocator, long address, long size) {
        retain();
        return new ForeignManager(allocator, size, this::release).buffer(address);
    }
}
