package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_CHAR_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The buffer protocol (PEP 3118): {@code PyObject_GetBuffer} / {@code PyBuffer_Release}, the
 * fields of a view, and the copies between a view's memory and Java arrays. The {@code Py_buffer}
 * struct is the same on every CPython 3.10+ (it is in the stable ABI from 3.11 and exported,
 * unchanged, by 3.10), so its fields are read at fixed offsets ({@link Layout}). A view is
 * the address of a {@code Py_buffer} from the calling thread's {@link Scratch}. The caller holds
 * the GIL.
 */
public final class Buffers {

    private Buffers() {}

    /**
     * The {@code Py_buffer} struct of {@code Include/pybuffer.h} on a 64-bit platform: {@code buf},
     * {@code obj}, {@code len}, {@code itemsize} (words), {@code readonly}, {@code ndim} (two C ints
     * sharing a word), {@code format}, {@code shape}, {@code strides}, {@code suboffsets},
     * {@code internal} (words). Part of the stable ABI from 3.11 and the same in 3.10. Written out
     * rather than read from the generated {@code Py_buffer}, whose layout class loads the whole
     * generated {@code LibPython} class (some 2,300 methods) on the first view of a JVM;
     * {@code BufferLayoutTest} checks the numbers against the generated layout.
     */
    public static final class Layout {
        private Layout() {}

        public static final long SIZE = 80;
        public static final long BUF = 0;
        public static final long LEN = 16;
        public static final long ITEMSIZE = 24;
        public static final long READONLY = 32;
        public static final long NDIM = 36;
        public static final long FORMAT = 40;
        public static final long SHAPE = 48;
        public static final long STRIDES = 56;
        public static final long SUBOFFSETS = 64;
    }

    private static final long SIZE = Layout.SIZE;
    private static final long BUF = Layout.BUF;
    private static final long LEN = Layout.LEN;
    private static final long ITEMSIZE = Layout.ITEMSIZE;
    private static final long READONLY = Layout.READONLY;
    private static final long NDIM = Layout.NDIM;
    private static final long FORMAT = Layout.FORMAT;
    private static final long SHAPE = Layout.SHAPE;
    private static final long STRIDES = Layout.STRIDES;
    private static final long SUBOFFSETS = Layout.SUBOFFSETS;
    private static final int WORDS = (int) (SIZE / 8);
    private static final MemorySegment M = Native.ALL;
    private static final long[] ZEROS = new long[WORDS];

    /** The hot calls, bound once. */
    private static final class Fn {
        static final MemorySegment GET = Symbol.PyObject_GetBuffer.ordinary();
        static final MemorySegment RELEASE = Symbol.PyBuffer_Release.ordinary();
    }

    /**
     * One view: its {@code Py_buffer} (in the calling thread's {@link Scratch} until released) and
     * a copy of the struct's fields, read once when the view is made (the exporter may not change
     * them while the view is held). Confined to the thread that made it.
     */
    public static final class View {
        final long address;
        /** {@code buf}: the address of the data. */
        public final long buf;
        /** {@code len}: the data's size in bytes. */
        public final long len;
        /** {@code itemsize}. */
        public final long itemSize;
        /** {@code readonly}. */
        public final boolean readOnly;
        /** {@code ndim}. */
        public final int ndim;
        private final long format;
        private final long shape;
        private final long strides;
        private final long suboffsets;
        /** 0 not yet known, 1 C-contiguous, 2 not. */
        private byte contiguity;

        View(long address) {
            this.address = address;
            buf = M.get(JAVA_LONG, address + BUF);
            len = M.get(JAVA_LONG, address + LEN);
            itemSize = M.get(JAVA_LONG, address + ITEMSIZE);
            readOnly = M.get(JAVA_INT, address + READONLY) != 0;
            ndim = M.get(JAVA_INT, address + NDIM);
            format = M.get(JAVA_LONG, address + FORMAT);
            shape = M.get(JAVA_LONG, address + SHAPE);
            strides = M.get(JAVA_LONG, address + STRIDES);
            suboffsets = M.get(JAVA_LONG, address + SUBOFFSETS);
        }

        /** {@code format}, "B" when the exporter gives none. */
        public String format() {
            return format == 0 ? "B" : M.getString(format);
        }

        /** {@code shape}, or null when the exporter gives none (one dimension of len / itemsize). */
        public long[] shapeOrNull() {
            return longs(shape, ndim);
        }

        /** {@code strides}, or null when the exporter gives none (C-contiguous). */
        public long[] stridesOrNull() {
            return longs(strides, ndim);
        }

        /** Whether the exporter gives {@code suboffsets} (PIL-style arrays of pointers). */
        public boolean hasSuboffsets() {
            return suboffsets != 0;
        }

        /** {@code PyBuffer_IsContiguous(view, 'C')}, computed from the fields as CPython does. */
        public boolean isCContiguous() {
            if (contiguity == 0) {
                contiguity = (byte) (computeContiguous() ? 1 : 2);
            }
            return contiguity == 1;
        }

        private boolean computeContiguous() {
            if (suboffsets != 0) {
                return false;
            }
            if (len == 0 || strides == 0) {
                return true;
            }
            if (shape == 0 || ndim < 0) {
                return false; // strides without a shape: not a valid view, never read in one piece
            }
            long step = itemSize;
            for (int i = ndim - 1; i >= 0; i--) {
                long dim = M.get(JAVA_LONG, shape + 8L * i);
                if (dim > 1 && M.get(JAVA_LONG, strides + 8L * i) != step) {
                    return false;
                }
                step *= dim;
            }
            return true;
        }

        private static long[] longs(long address, int n) {
            if (address == 0) {
                return null;
            }
            long[] out = new long[n];
            MemorySegment.copy(M, JAVA_LONG, address, out, 0, n);
            return out;
        }
    }

    /**
     * A strided, formatted view of {@code exporter} (writable when asked) in a {@code Py_buffer}
     * of {@code scratch}'s thread, to be given to {@link #release}. Throws the exporter's
     * BufferError (or TypeError) when it cannot.
     */
    public static View get(long exporter, boolean writable, Scratch scratch) {
        long view = scratch.takeView(SIZE);
        // Cleared first: an exporter that leaves a field unset (shape, strides, suboffsets) must
        // leave it NULL, not a pointer from an earlier view.
        MemorySegment.copy(ZEROS, 0, M, JAVA_LONG, view, WORDS);
        int flags = writable ? CApi.PyBUF_STRIDES | CApi.PyBUF_FORMAT | CApi.PyBUF_WRITABLE
                : CApi.PyBUF_RECORDS_RO;
        // The exporter's getbuffer may run Python code (a class defining __buffer__, 3.12+).
        if ((int) Native.call(Fn.GET, exporter, view, flags) != 0) {
            scratch.giveView(view);
            throw PendingError.fetch();
        }
        return new View(view);
    }

    /** Ends the view (the exporter may move or free its memory afterwards) and hands its struct back. */
    public static void release(View view, Scratch scratch) {
        try {
            Native.call(Fn.RELEASE, view.address);
        } finally {
            scratch.giveView(view.address);
        }
    }

    /** The view's memory as a segment of {@code len} bytes that lives as long as {@code arena}. */
    public static MemorySegment data(View view, Arena arena) {
        return MemorySegment.ofAddress(view.buf).reinterpret(view.len, arena, null);
    }

    /**
     * Copies {@code count} items of {@code layout} from the start of a C-contiguous view into
     * {@code array} (of {@code layout}'s carrier type) from index {@code into}: one bulk copy.
     * The caller has checked the view's format; the bytes read never pass its {@code len}.
     */
    public static void copyOut(View view, ValueLayout layout, Object array, int into, int count) {
        long bytes = count * layout.byteSize();
        if (bytes > view.len) {
            throw new IndexOutOfBoundsException("a copy of " + bytes + " bytes from a buffer of " + view.len);
        }
        MemorySegment.copy(M, layout, view.buf, array, into, count);
    }

    /** Copies the first {@code count} bytes of a C-contiguous view into {@code target} (a heap or native segment). */
    public static void copyOut(View view, MemorySegment target, long count) {
        if (count > view.len) {
            throw new IndexOutOfBoundsException("a copy of " + count + " bytes from a buffer of " + view.len);
        }
        MemorySegment.copy(M, view.buf, target, 0, count);
    }

    /**
     * The bytes a strided view spans, from its lowest used address {@code low} (negative strides
     * reach below {@code buf}) for {@code size} bytes: a segment bounded to them, for item-by-item
     * reads. Valid while the view is.
     */
    public static MemorySegment span(View view, long low, long size) {
        return MemorySegment.ofAddress(view.buf + low).reinterpret(size);
    }

    /**
     * The single-letter struct format of a view's items when they are in the machine's byte order
     * ({@code "d"}, {@code "<d"} on a little-endian machine, {@code "=q"}...), or 0 for anything
     * else (a struct, a byte-swapped type).
     */
    public static char nativeCode(View view) {
        String f = view.format();
        if (f.length() == 1) {
            return f.charAt(0);
        }
        if (f.length() != 2) {
            return 0;
        }
        boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
        boolean nativeOrder = switch (f.charAt(0)) {
            case '@', '=' -> true;
            case '<' -> little;
            case '>', '!' -> !little;
            default -> false;
        };
        return nativeOrder ? f.charAt(1) : 0;
    }

    /**
     * A new Java array of {@code component} holding a copy of a one-dimensional buffer whose items
     * are exactly that type ({@code "d"} for double, {@code "q"}/{@code "l"} of 8 bytes for long...):
     * one bulk copy when contiguous, else item by item along the stride. Null, with no error
     * pending, when {@code o} has no buffer or its items are of another type or shape: the caller
     * then converts item by item. A buffer whose {@code len} disagrees with its shape is a
     * BufferError; one of more items than a Java array holds, an IllegalStateException.
     */
    public static Object copyToArrayOrNull(long o, Class<?> component) {
        if (Symbol.PyObject_CheckBuffer.call(o) == 0) {
            return null;
        }
        Element e = Element.of(component);
        Scratch scratch = Scratch.current();
        View view = get(o, false, scratch);
        try {
            char code = nativeCode(view);
            long itemSize = view.itemSize;
            boolean matches = itemSize == e.layout.byteSize() && switch (e) {
                case DOUBLE -> code == 'd';
                case FLOAT -> code == 'f';
                case LONG -> code == 'q' || code == 'l' || code == 'n';
                case INT -> code == 'i' || code == 'l';
                case SHORT -> code == 'h';
                case CHAR -> code == 'H';
                case BYTE -> code == 'b';
                case BOOLEAN -> code == '?';
            };
            if (!matches || view.ndim != 1 || view.hasSuboffsets()) {
                return null;
            }
            long[] shape = view.shapeOrNull();
            long[] strides = view.stridesOrNull();
            long n = shape == null ? view.len / itemSize : shape[0];
            if (n < 0 || n * itemSize != view.len) {
                throw Errors.bufferError("the exporter describes its buffer inconsistently (len "
                        + view.len + " for " + n + " items of " + itemSize + " bytes)");
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("the buffer holds " + n + " items, more than a Java array can");
            }
            Object array;
            try {
                array = java.lang.reflect.Array.newInstance(component, (int) n);
            } catch (OutOfMemoryError oom) {
                throw Errors.memoryError("the Java heap cannot hold a copy of " + n + " items of "
                        + itemSize + " bytes");
            }
            long stride = strides == null ? itemSize : strides[0];
            long base = view.buf;
            if (e == Element.BOOLEAN) {
                boolean[] a = (boolean[]) array;
                for (int i = 0; i < n; i++) {
                    a[i] = M.get(JAVA_BYTE, base + i * stride) != 0;
                }
            } else if (stride == itemSize) {
                copyOut(view, e.layout, array, 0, (int) n);
            } else {
                for (int i = 0; i < n; i++) { // strided (a slice with a step, a reversed view)
                    MemorySegment.copy(M, e.layout, base + i * stride, array, i, 1);
                }
            }
            return array;
        } finally {
            release(view, scratch);
        }
    }

    // --- Java arrays copied into memory a Python object owns ---

    /**
     * The element types of Java primitive arrays: the struct-module format Python gives them (native
     * order and size, as {@code memoryview} and numpy read it) and the layout of one element.
     */
    private enum Element {
        DOUBLE("d", JAVA_DOUBLE_UNALIGNED),
        FLOAT("f", JAVA_FLOAT_UNALIGNED),
        LONG("q", JAVA_LONG_UNALIGNED),
        INT("i", JAVA_INT_UNALIGNED),
        SHORT("h", JAVA_SHORT_UNALIGNED),
        CHAR("H", JAVA_CHAR_UNALIGNED), // a UTF-16 unit: unsigned 16 bits
        BYTE("b", JAVA_BYTE),
        BOOLEAN("?", JAVA_BOOLEAN);

        final String format;
        final ValueLayout layout;

        Element(String format, ValueLayout layout) {
            this.format = format;
            this.layout = layout;
        }

        static Element of(Class<?> component) {
            if (component == double.class) {
                return DOUBLE;
            } else if (component == float.class) {
                return FLOAT;
            } else if (component == long.class) {
                return LONG;
            } else if (component == int.class) {
                return INT;
            } else if (component == short.class) {
                return SHORT;
            } else if (component == char.class) {
                return CHAR;
            } else if (component == byte.class) {
                return BYTE;
            } else if (component == boolean.class) {
                return BOOLEAN;
            }
            throw new IllegalArgumentException("not an array of a primitive type: " + component + "[]");
        }

        /** Copies {@code count} elements of {@code array} to {@code offset} of {@code data}: one bulk copy. */
        void copy(Object array, MemorySegment data, long offset, int count) {
            if (this == BOOLEAN) {
                boolean[] a = (boolean[]) array; // no bulk copy of boolean[] in the FFM API
                for (int i = 0; i < count; i++) {
                    data.set(JAVA_BOOLEAN, offset + i, a[i]);
                }
            } else {
                MemorySegment.copy(array, 0, data, layout, offset, count);
            }
        }
    }

    /** numpy's size from which it asks the kernel for transparent huge pages (its alloc.c). */
    private static final long HUGE_PAGES_FROM = 1L << 22;
    /** Linux's {@code MADV_HUGEPAGE}. */
    private static final int MADV_HUGEPAGE = 14;
    private static final boolean ADVISE_HUGE_PAGES = System.getProperty("os.name", "").startsWith("Linux")
            && Symbol.madvise.isExported();

    /**
     * A {@code memoryview} of {@code array}'s element format over one copy of a one-dimensional
     * Java primitive array, in memory a new {@code bytearray} owns: a new reference. Freeing the
     * memoryview frees the memory.
     */
    public static long newArrayView(Object array) {
        Element e = Element.of(array.getClass().getComponentType());
        int n = java.lang.reflect.Array.getLength(array);
        long size = (long) n * e.layout.byteSize();
        long bytes = newFilledByteArray(size, data -> e.copy(array, data, 0, n));
        try {
            return newCastView(bytes, e.format, null);
        } finally {
            CApi.decRef(bytes);
        }
    }

    /**
     * A two-dimensional {@code memoryview} (shape {@code (rows.length, columns)}, C order) over one
     * copy of {@code rows}, arrays of one primitive type and {@code columns} elements each, in memory
     * a new {@code bytearray} owns: a new reference.
     */
    public static long newMatrixView(Object[] rows, int columns) {
        Element e = Element.of(rows.getClass().getComponentType().getComponentType());
        long rowBytes = columns * e.layout.byteSize();
        long size = Math.multiplyExact(rows.length, rowBytes);
        if (size == 0) {
            return newEmptyView(e, new long[] {rows.length, columns});
        }
        long bytes = newFilledByteArray(size, data -> {
            for (int r = 0; r < rows.length; r++) {
                Object row = rows[r];
                if (java.lang.reflect.Array.getLength(row) != columns) {
                    throw new IllegalArgumentException("row " + r + " has " + java.lang.reflect.Array.getLength(row)
                            + " values, row 0 has " + columns);
                }
                e.copy(row, data, r * rowBytes, columns);
            }
        });
        try {
            return newCastView(bytes, e.format, new long[] {rows.length, columns});
        } finally {
            CApi.decRef(bytes);
        }
    }

    /**
     * A new bytearray of {@code size} bytes, allocated uninitialised
     * ({@code PyByteArray_FromStringAndSize(NULL, size)}) and written by {@code fill} before any
     * Python code can see it: a new reference. {@code fill} gets a segment bounded to the data.
     */
    private static long newFilledByteArray(long size, java.util.function.Consumer<MemorySegment> fill) {
        long bytes = CApi.checkNew(Symbol.PyByteArray_FromStringAndSize.call(0, size));
        try {
            if (size > 0) {
                // OWNERSHIP: the data belongs to the bytearray, which nothing else references yet.
                long data = Symbol.PyByteArray_AsString.call(bytes);
                adviseHugePages(data, size);
                fill.accept(MemorySegment.ofAddress(data).reinterpret(size));
            }
            return bytes;
        } catch (RuntimeException | Error e) {
            CApi.decRef(bytes);
            throw e;
        }
    }

    /**
     * Asks Linux for transparent huge pages for a large block, as numpy does for its arrays: fresh
     * memory is then faulted in 2 MiB at a time, which makes the first write to it several times
     * faster where huge pages are enabled "on advice" (the default of many distributions). Only
     * advice: the result is ignored.
     */
    static void adviseHugePages(long data, long size) {
        if (size >= HUGE_PAGES_FROM && ADVISE_HUGE_PAGES) {
            long start = (data + 4095) & ~4095L;
            Symbol.madvise.call(start, data + size - start, MADV_HUGEPAGE);
        }
    }

    /** The formats' C strings, allocated once: a memoryview made from a struct keeps the pointer. */
    private static final java.util.concurrent.ConcurrentHashMap<Element, MemorySegment> FORMATS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A memoryview of no items and the given shape (one dimension at least 0), such as a
     * {@code double[3][0]}: {@code memoryview.cast} refuses zeros in a shape, so the view is made
     * from a {@code Py_buffer} ({@code PyMemoryView_FromBuffer}, which copies shape and strides and
     * owns no memory: there is none to own). A new reference.
     */
    private static long newEmptyView(Element e, long[] shape) {
        MemorySegment format = FORMATS.computeIfAbsent(e, k -> Arena.global().allocateFrom(k.format));
        try (Arena arena = Arena.ofConfined()) {
            long itemSize = e.layout.byteSize();
            MemorySegment info = arena.allocate(SIZE, 8);
            MemorySegment dims = arena.allocate(JAVA_LONG, shape.length);
            MemorySegment steps = arena.allocate(JAVA_LONG, shape.length);
            long step = itemSize;
            for (int i = shape.length - 1; i >= 0; i--) {
                dims.setAtIndex(JAVA_LONG, i, shape[i]);
                steps.setAtIndex(JAVA_LONG, i, step);
                step *= Math.max(1, shape[i]);
            }
            info.set(JAVA_LONG, BUF, format.address()); // never read: there are no items
            info.set(JAVA_LONG, ITEMSIZE, itemSize);
            info.set(JAVA_INT, NDIM, shape.length);
            info.set(JAVA_LONG, FORMAT, format.address());
            info.set(JAVA_LONG, SHAPE, dims.address());
            info.set(JAVA_LONG, STRIDES, steps.address());
            return CApi.checkNew(Symbol.PyMemoryView_FromBuffer.call(info.address()));
        }
    }

    /** {@code memoryview(exporter).cast(format[, shape])}: a new reference. */
    private static long newCastView(long exporter, String format, long[] shape) {
        long view = CApi.checkNew(Symbol.PyMemoryView_FromObject.call(exporter));
        long cast = 0;
        long args = 0;
        try {
            cast = CApi.newGetAttr(view, Names.get("cast"));
            args = CApi.newTuple(shape == null ? 1 : 2);
            CApi.tupleSetStolen(args, 0, Strings.newStr(format));
            if (shape != null) {
                long dims = CApi.newTuple(shape.length);
                CApi.tupleSetStolen(args, 1, dims);
                for (int i = 0; i < shape.length; i++) {
                    CApi.tupleSetStolen(dims, i, Scalars.newInt(shape[i]));
                }
            }
            return CApi.newCall(cast, args, 0);
        } finally {
            if (args != 0) {
                CApi.decRef(args);
            }
            if (cast != 0) {
                CApi.decRef(cast);
            }
            CApi.decRef(view);
        }
    }
}
