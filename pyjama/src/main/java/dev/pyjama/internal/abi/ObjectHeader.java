package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * The object header every Python object starts with ({@code PyObject_HEAD}): its reference count
 * and its type, read and written as the running profile allows.
 *
 * <p>Portable: {@code Py_IncRef}, {@code Py_DecRef} and {@code PyObject_Type} (whose new reference
 * is given back at once: the object keeps its type alive). With the verified shortcuts: the type
 * read at the offset the start-up probe found, and on the classic GIL header (3.10 to 3.13) the
 * count changed in place as the C macros do, calling C only for a release that may free.
 */
final class ObjectHeader {

    private ObjectHeader() {}

    /** Hot-path addresses, each found on first use. */
    private static final class Fn {
        static final MemorySegment INCREF = Symbol.Py_IncRef.criticalAddress();
        static final MemorySegment DECREF = Symbol.Py_DecRef.ordinary();
        static final MemorySegment DECREF_PLAIN = Symbol.Py_DecRef_plain.criticalAddress();
    }

    private static final class TypeFn {
        static final MemorySegment TYPE = Symbol.PyObject_Type.ordinary();
    }

    /**
     * Finds where {@code ob_type} sits in an object header for this build (8 on GIL builds, 24 on
     * free-threaded ones) by looking for the known type of two known objects (True is a bool, the
     * static type int is a type), so the probe needs no call and no reference count; 0 when no
     * offset fits both.
     */
    static long probeTypeOffset() {
        MemorySegment t = MemorySegment.ofAddress(Abi.trueObj()).reinterpret(64);
        MemorySegment i = MemorySegment.ofAddress(Abi.longType()).reinterpret(64);
        long boolType = Symbol.PyBool_Type.object();
        long typeType = Symbol.PyType_Type.object();
        for (long off = 8; off <= 48; off += 8) {
            if (t.get(JAVA_LONG, off) == boolType && i.get(JAVA_LONG, off) == typeType) {
                return off;
            }
        }
        return 0;
    }

    /** {@code Py_TYPE(o)}: borrowed (the object holds its type). */
    static long type(long o) {
        long offset = Abi.typeOffset;
        if (offset != 0) {
            return Native.ALL.get(JAVA_LONG, o + offset);
        }
        long type = Native.call(TypeFn.TYPE, o);
        decRef(type); // OWNERSHIP: PyObject_Type's new reference given back; o keeps its type alive
        return type;
    }

    /**
     * {@code Py_INCREF}: in Java where the profile allows, as the C macro does (an immortal object
     * of 3.12+, whose low 32 bits are all ones, is left alone); else {@code Py_IncRef}.
     */
    static void incRef(long o) {
        if (Abi.inlineRefCounts && o != 0) { // Py_IncRef(NULL) is a no-op, a write at 0 is not
            long count = Native.ALL.get(JAVA_LONG_UNALIGNED, o);
            if (Abi.immortals) {
                int low = (int) count;
                if (low != -1) {
                    Native.ALL.set(JAVA_LONG_UNALIGNED, o, (count & 0xFFFF_FFFF_0000_0000L) | ((low + 1) & 0xFFFF_FFFFL));
                }
            } else {
                Native.ALL.set(JAVA_LONG_UNALIGNED, o, count + 1);
            }
            return;
        }
        Native.critical(Fn.INCREF, o);
    }

    /**
     * {@code Py_DECREF}: may run arbitrary Python code ({@code __del__}). Where the profile allows, a
     * count above one is decremented in place (the GIL is held) and an immortal object left alone;
     * only a release that may free calls {@code Py_DecRef}: an ordinary downcall, or a critical one
     * for an exact int, float or str, whose deallocation runs no Python code.
     */
    static void decRef(long o) {
        if (Abi.inlineRefCounts && o != 0) { // Py_DecRef(NULL) is a no-op, a read at 0 is not
            long count = Native.ALL.get(JAVA_LONG_UNALIGNED, o);
            if (Abi.immortals && (int) count < 0) {
                return;
            }
            if (count > 1) {
                Native.ALL.set(JAVA_LONG_UNALIGNED, o, count - 1);
                return;
            }
            long type = Native.ALL.get(JAVA_LONG, o + Abi.typeOffset);
            if (type == Abi.longType() || type == Abi.floatType() || type == Abi.strType()) {
                Native.critical(Fn.DECREF_PLAIN, o);
                return;
            }
        }
        Native.call(Fn.DECREF, o);
    }
}
