package dev.pyjama.internal.abi;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads a capsule's pointer in Java, for the capsules pyjama made itself: a capsule is the object
 * header followed by its {@code pointer} and {@code name} (then context and destructor), unchanged
 * from 3.10 to 3.14 and on free-threaded 3.13. A read is taken only when the object's type is the
 * capsule type and its name is the very C string the caller passes (the name pyjama made its
 * capsules with), which is what {@code PyCapsule_GetPointer} would compare; anything else asks C.
 * On with the verified shortcuts ({@link AbiProfile}: where {@code ob_type} is read), confirmed by
 * {@link #probe} at first use against a capsule CPython made. The GIL is held by every caller.
 */
final class CapsuleLayout {

    private static final long POINTER = Abi.chosen().headerSize();
    private static final long NAME = POINTER + 8;

    /** The capsule type (kept alive by CPython for the interpreter's life), or 0 when reads are off. */
    private static final long TYPE = Abi.chosen().typeOffset() > 0 ? probe() : 0;

    /** Whether reads are on. */
    static final boolean AVAILABLE = TYPE != 0;

    private CapsuleLayout() {}

    /** The capsule type if a capsule CPython made reads back as made, else 0. The caller holds the GIL. */
    private static long probe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom("pyjama.probe");
            long pointer = name.address() + 1; // any non-NULL value, never dereferenced
            long capsule = Symbol.PyCapsule_New.call(pointer, name.address(), 0);
            if (capsule == 0) {
                Symbol.PyErr_Clear.call();
                return 0; // out of memory: PyCapsule_GetPointer will do
            }
            try {
                boolean fits = Native.ALL.get(JAVA_LONG_UNALIGNED, capsule + POINTER) == pointer
                        && Native.ALL.get(JAVA_LONG_UNALIGNED, capsule + NAME) == name.address();
                return fits ? ObjectHeader.type(capsule) : 0;
            } finally {
                ObjectHeader.decRef(capsule);
            }
        }
    }

    /** The pointer of {@code o} (borrowed) when it is a capsule named by exactly {@code name}, else 0. */
    static long pointerIfNamed(long o, long name) {
        if (ObjectHeader.type(o) == TYPE && Native.ALL.get(JAVA_LONG_UNALIGNED, o + NAME) == name) {
            return Native.ALL.get(JAVA_LONG_UNALIGNED, o + POINTER);
        }
        return 0;
    }
}
