package dev.pyjama.arrow;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * All-valid bitmaps for imported arrays that came without a validity buffer, in O(1) per column.
 *
 * <p>Why: the C Data Interface lets a producer leave the validity buffer NULL when no value is null
 * (pyarrow, polars do for every such column), but every Arrow Java vector holds one; handed an
 * empty one, Arrow Java 19's {@code BitVectorHelper.loadValidityBuffer} allocates rows/8 bytes and
 * fills them with ones, per column: O(rows) work and memory in an exchange that is otherwise O(1).
 * It keeps (retains) any non-empty buffer it is given instead, whatever the field node's null count.
 *
 * <p>How: one memfd (Linux {@code memfd_create}, anonymous shared memory with a file descriptor)
 * filled with {@code 0xFF} once, grown and filled further when a longer column needs more (never
 * shrunk: at most 256 MiB, for a column of 2^31-1 rows). Each column gets its own
 * {@code mmap(PROT_READ|PROT_WRITE, MAP_PRIVATE)} of it: mapping is O(1) whatever its length, reads
 * share the memfd's pages, and a write through a vector ({@code setNull}) copies the one page it
 * touches into that mapping alone (copy on write): no column, and no later import, sees another's
 * writes. The mapping is an {@link ArrowBuf} accounted to no allocator.
 *
 * <p>Why mappings are kept for reuse: {@code munmap} of a mapping whose pages were read (a consumer
 * read the bitmap) costs 0.4 to 1 ms on this project's VM (it must flush TLBs), more than the whole
 * exchange; a round trip through pyarrow went from 0.17 ms to 2.5 ms with one {@code munmap} per
 * column. So when Arrow Java releases a mapping's last reference, the mapping goes back to a small
 * pool ({@link #POOLED} at most) if it is still clean, and the next column of the same page count
 * gets it, its pages already mapped. Clean means no page was copied on write:
 * {@code /proc/self/pagemap} gives, per page, whether it is present and whether it is a file (here:
 * memfd) page; a present page that is not a file page is a private copy, so the mapping holds a
 * write and is unmapped instead. That read is 8 bytes per page (2.4 KB at 10M rows), one
 * {@code pread}, no TLB flush. A mapping that cannot be checked is unmapped. {@link #trim} unmaps
 * the pool (tests count mappings).
 *
 * <p>Where this is unavailable (not Linux, no {@code memfd_create} in libc, or a call that fails:
 * {@code mmap} does at {@code vm.max_map_count} live mappings) {@link #map} returns null and the
 * caller lets Arrow Java allocate the bitmap as before: correct, only O(rows) again.
 */
final class SharedOnes {

    private SharedOnes() {}

    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_PRIVATE = 2, MFD_CLOEXEC = 1;
    private static final long MAP_FAILED = -1;
    /** The memfd grows in steps of this, a multiple of every Linux page size (4, 16 or 64 KiB). */
    private static final long GRANULE = 1L << 16;
    /** Its name, as {@code /proc/self/maps} shows it ({@code /memfd:pyjama-arrow-ones (deleted)}). */
    static final String NAME = "pyjama-arrow-ones";

    private static final MethodHandle MEMFD_CREATE, FTRUNCATE, MMAP, MUNMAP, SYSCONF;
    /** {@code sysconf(_SC_PAGESIZE)} (30 in glibc and musl). */
    private static final int SC_PAGESIZE = 30;
    /** At most this many clean mappings are kept for reuse (a wide table, import after import). */
    static final int POOLED = 64;
    private static final long PM_PRESENT = 1L << 63, PM_SWAP = 1L << 62, PM_FILE = 1L << 61;

    static {
        MethodHandle create = null, truncate = null, mmap = null, munmap = null, sysconf = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            // All four are short system calls that never call back into Java: critical, no thread-state switch.
            Linker.Option critical = Linker.Option.critical(false);
            Optional<MemorySegment> memfd = libc.find("memfd_create"); // glibc >= 2.27, musl >= 1.1.20
            if (memfd.isPresent()) {
                create = linker.downcallHandle(memfd.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
                truncate = linker.downcallHandle(libc.find("ftruncate").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), critical);
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                        critical);
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), critical);
                sysconf = linker.downcallHandle(libc.find("sysconf").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT), critical);
            }
        }
        MEMFD_CREATE = create;
        FTRUNCATE = truncate;
        MMAP = mmap;
        MUNMAP = munmap;
        SYSCONF = sysconf;
    }

    // Guarded by SharedOnes.class. fd: -1 before the first use; filled: bytes of the memfd already 0xFF
    // (a multiple of GRANULE; pages past it are never mapped privately); broken: memfd_create failed.
    private static int fd = -1;
    private static long filled;
    private static boolean broken;
    private static long pageSize; // set once, before the first mapping; read under the lock or after ensure()
    // Guarded by SharedOnes.class: clean mappings (address, length) for reuse, and what reads pagemap.
    private static final ArrayDeque<long[]> pool = new ArrayDeque<>();
    private static FileChannel pagemap;
    private static ByteBuffer entries;

    /**
     * A private, writable mapping of {@code bytes} bytes of ones, as an {@link ArrowBuf} of
     * {@code allocator} that accounts nothing to it; null where this is unavailable (see the class comment).
     */
    static ArrowBuf map(BufferAllocator allocator, long bytes) {
        int f = MMAP == null || bytes <= 0 ? -1 : ensure(bytes);
        if (f < 0) {
            return null;
        }
        long length = (bytes + pageSize - 1) / pageSize * pageSize;
        long p = pooled(length);
        if (p == 0) {
            try {
                p = (long) MMAP.invokeExact(0L, length, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0L);
            } catch (Throwable t) {
                throw CData.rethrow(t);
            }
            if (p == MAP_FAILED) {
                return null;
            }
        }
        long address = p;
        return new ForeignManager(allocator, bytes, () -> giveBack(address, length), true).buffer(address);
    }

    /** A pooled mapping of exactly {@code length} bytes, taken out of the pool; 0 if none. */
    private static synchronized long pooled(long length) {
        for (var it = pool.iterator(); it.hasNext(); ) {
            long[] m = it.next();
            if (m[1] == length) {
                it.remove();
                return m[0];
            }
        }
        return 0;
    }

    /** Arrow Java released a mapping's last reference: back to the pool if clean and there is room, else unmapped. */
    private static void giveBack(long address, long length) {
        synchronized (SharedOnes.class) {
            if (pool.size() < POOLED && clean(address, length)) {
                pool.addFirst(new long[] {address, length});
                return;
            }
        }
        unmap(address, length);
    }

    /** Whether no page of the mapping was copied on write (see the class comment); false if unknown. */
    private static boolean clean(long address, long length) {
        int pages = (int) (length / pageSize);
        try {
            if (pagemap == null) {
                pagemap = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ);
            }
            if (entries == null || entries.capacity() < 8 * pages) {
                entries = ByteBuffer.allocateDirect(Math.max(8 * pages, 4096)).order(ByteOrder.nativeOrder());
            }
            entries.clear().limit(8 * pages);
            long position = address / pageSize * 8;
            while (entries.hasRemaining()) {
                if (pagemap.read(entries, position + entries.position()) <= 0) {
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            // No pagemap (a sandbox), or the channel closed by an interrupt of this thread: unmap, as
            // without a pool, and open it afresh next time.
            FileChannel closing = pagemap;
            pagemap = null;
            if (closing != null) {
                try {
                    closing.close();
                } catch (IOException ignored) {
                    // closing a read-only channel: nothing to lose
                }
            }
            return false;
        }
        for (int i = 0; i < pages; i++) {
            long e = entries.getLong(8 * i);
            if ((e & (PM_PRESENT | PM_SWAP)) != 0 && (e & PM_FILE) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code validity} is a mapping of this class that no write has touched: all ones, so
     * the exporter can give the consumer no bitmap and a null count of 0, as the import came,
     * rather than a bitmap whose nulls a consumer would count (O(rows)).
     */
    static boolean unwritten(ArrowBuf validity) {
        if (!(validity.getReferenceManager() instanceof ForeignManager f) || !f.onesMapping()) {
            return false;
        }
        long address = validity.memoryAddress();
        synchronized (SharedOnes.class) { // pageSize, the pagemap reader
            if (address % pageSize != 0) {
                return false; // a slice: not worth the arithmetic
            }
            return clean(address, (f.getSize() + pageSize - 1) / pageSize * pageSize);
        }
    }

    /** Unmaps the pooled mappings; how many there were. */
    static int trim() {
        List<long[]> all;
        synchronized (SharedOnes.class) {
            all = new ArrayList<>(pool);
            pool.clear();
        }
        for (long[] m : all) {
            unmap(m[0], m[1]);
        }
        return all.size();
    }

    /** Makes the memfd's first {@code bytes} (rounded up to {@link #GRANULE}) ones; its fd, or -1 if it cannot. */
    private static synchronized int ensure(long bytes) {
        if (broken) {
            return -1;
        }
        long need = (bytes + GRANULE - 1) / GRANULE * GRANULE;
        if (need <= filled) {
            return fd;
        }
        try {
            if (fd < 0) {
                pageSize = (long) SYSCONF.invokeExact(SC_PAGESIZE);
                if (pageSize <= 0 || GRANULE % pageSize != 0) {
                    broken = true;
                    return -1;
                }
                try (Arena arena = Arena.ofConfined()) {
                    fd = (int) MEMFD_CREATE.invokeExact(arena.allocateFrom(NAME), MFD_CLOEXEC);
                }
                if (fd < 0) {
                    broken = true; // e.g. a seccomp filter refusing it: stay on allocation for good
                    return -1;
                }
            }
            long size = Math.max(need, 2 * filled); // doubling: few growths for a series of longer columns
            if ((int) FTRUNCATE.invokeExact(fd, size) != 0) {
                return -1;
            }
            // Fill only the new part, through a shared mapping: existing private mappings cover the old
            // part, whose pages never change again.
            long p = (long) MMAP.invokeExact(0L, size - filled, PROT_READ | PROT_WRITE, MAP_SHARED, fd, filled);
            if (p == MAP_FAILED) {
                return -1; // `filled` unchanged: the next call truncates and fills again
            }
            MemorySegment.ofAddress(p).reinterpret(size - filled).fill((byte) 0xFF);
            unmap(p, size - filled);
            filled = size;
            return fd;
        } catch (Throwable t) {
            throw CData.rethrow(t);
        }
    }

    private static void unmap(long address, long bytes) {
        try {
            // munmap of a mapping this class made, with its own length, cannot fail (EINVAL is for bad
            // arguments); nothing to do if it did but leave the mapping.
            int ignored = (int) MUNMAP.invokeExact(address, bytes);
        } catch (Throwable t) {
            throw CData.rethrow(t);
        }
    }
}
