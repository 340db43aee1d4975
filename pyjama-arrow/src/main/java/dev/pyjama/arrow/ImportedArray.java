package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;

import dev.pyjama.Python;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OwnershipTransferResult;
import org.apache.arrow.memory.ReferenceManager;

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

    /** A Java buffer over {@code size} bytes of the producer's memory at {@code address}. */
    ArrowBuf buffer(BufferAllocator allocator, long address, long size) {
        Manager m = new Manager(this, allocator, size);
        return new ArrowBuf(m, null, size, address);
    }

    /** Arrow Java's reference counting for one foreign buffer; the last release releases the array's share. */
    private static final class Manager implements ReferenceManager {
        private final ImportedArray owner;
        private final BufferAllocator allocator;
        private final long size;
        private final AtomicInteger count = new AtomicInteger(1);

        Manager(ImportedArray owner, BufferAllocator allocator, long size) {
            owner.retain();
            this.owner = owner;
            this.allocator = allocator;
            this.size = size;
        }

        @Override
        public int getRefCount() {
            return count.get();
        }

        @Override
        public boolean release() {
            return release(1);
        }

        @Override
        public boolean release(int decrement) {
            int left = count.addAndGet(-decrement);
            if (left == 0) {
                owner.release();
                return true;
            }
            if (left < 0) {
                throw new IllegalStateException("foreign Arrow buffer released more often than retained");
            }
            return false;
        }

        @Override
        public void retain() {
            retain(1);
        }

        @Override
        public void retain(int increment) {
            if (count.getAndAdd(increment) <= 0) {
                throw new IllegalStateException("foreign Arrow buffer already released");
            }
        }

        @Override
        public ArrowBuf retain(ArrowBuf src, BufferAllocator target) {
            retain();
            ArrowBuf b = deriveBuffer(src, 0, src.capacity());
            b.readerIndex(src.readerIndex());
            b.writerIndex(src.writerIndex());
            return b;
        }

        @Override
        public ArrowBuf deriveBuffer(ArrowBuf src, long index, long length) {
            return new ArrowBuf(this, null, length, src.memoryAddress() + index);
        }

        @Override
        public OwnershipTransferResult transferOwnership(ArrowBuf src, BufferAllocator target) {
            ArrowBuf b = retain(src, target);
            return new OwnershipTransferResult() {
                @Override
                public boolean getAllocationFit() {
                    return true;
                }

                @Override
                public ArrowBuf getTransferredBuffer() {
                    return b;
                }
            };
        }

        @Override
        public BufferAllocator getAllocator() {
            return allocator;
        }

        @Override
        public long getSize() {
            return size;
        }

        @Override
        public long getAccountedSize() {
            return 0; // the producer's memory: not Arrow Java's to account
        }
    }
}
