package dev.pyjama.arrow;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OwnershipTransferResult;
import org.apache.arrow.memory.ReferenceManager;

/**
 * Arrow Java's reference counting for memory that is not its allocator's (an imported array's
 * buffers, a mapping of {@link SharedOnes}): it accounts nothing to the allocator, and when the last
 * reference goes, it runs {@code onLastRelease}, once.
 */
final class ForeignManager implements ReferenceManager {

    private final BufferAllocator allocator;
    private final long size;
    private final Runnable onLastRelease;
    private final boolean onesMapping;
    private final AtomicInteger count = new AtomicInteger(1);

    ForeignManager(BufferAllocator allocator, long size, Runnable onLastRelease) {
        this(allocator, size, onLastRelease, false);
    }

    /** With {@code onesMapping}: the memory is a mapping of {@link SharedOnes} (the exporter asks). */
    ForeignManager(BufferAllocator allocator, long size, Runnable onLastRelease, boolean onesMapping) {
        this.allocator = allocator;
        this.size = size;
        this.onLastRelease = onLastRelease;
        this.onesMapping = onesMapping;
    }

    boolean onesMapping() {
        return onesMapping;
    }

    /** A Java buffer over the {@code size} foreign bytes at {@code address}, holding this manager's first reference. */
    ArrowBuf buffer(long address) {
        return new ArrowBuf(this, null, size, address);
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
            onLastRelease.run();
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
        return 0; // not Arrow Java's memory: not its allocator's to account
    }
}
