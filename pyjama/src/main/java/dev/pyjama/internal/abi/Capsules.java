package dev.pyjama.internal.abi;

import java.lang.foreign.MemorySegment;

/**
 * Capsules: Python objects that carry a C pointer and a destructor, here a Java-side id and an
 * upcall that forgets it. Names are NUL-terminated C strings that live as long as the capsules.
 * The caller holds the GIL.
 */
public final class Capsules {

    private Capsules() {}

    /** {@code PyCapsule_New(pointer, name, destructor)}: a new reference, or 0 with the error set. */
    public static long newOrZero(long pointer, MemorySegment name, MemorySegment destructor) {
        return Symbol.PyCapsule_New.call(pointer, name.address(), destructor.address());
    }

    /** The capsule's pointer, or 0 with the error set when it is not a capsule of that name. */
    public static long pointer(long capsule, MemorySegment name) {
        if (CapsuleLayout.AVAILABLE) {
            long p = CapsuleLayout.pointerIfNamed(capsule, name.address());
            if (p != 0) {
                return p; // a capsule of exactly this name (whose pointer is never NULL)
            }
        }
        return Symbol.PyCapsule_GetPointer.call(capsule, name.address());
    }

    /**
     * The capsule's pointer; throws the pending Python error ({@code ValueError}) when it is not a
     * capsule of that name or its pointer is NULL.
     */
    public static long pointerOrThrow(long capsule, MemorySegment name) {
        long p = pointer(capsule, name);
        if (p == 0) {
            throw PendingError.fetch();
        }
        return p;
    }

    /** Whether {@code capsule} is a capsule of that name. */
    public static boolean isValid(long capsule, MemorySegment name) {
        return Symbol.PyCapsule_IsValid.call(capsule, name.address()) != 0;
    }
}
