package dev.pyjama;

import dev.pyjama.internal.abi.Capsules;
import dev.pyjama.internal.runtime.Upcalls;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Python capsules ({@code PyCapsule}): a C pointer with a name, the way C libraries hand each other
 * structs through Python, as in the Arrow PyCapsule interface ({@code __arrow_c_stream__} returns a
 * capsule named {@code "arrow_array_stream"} holding an {@code ArrowArrayStream*}).
 *
 * <p>An escape hatch for experts writing bridges to such libraries (the {@code pyjama-arrow} module
 * is one): the segments here point at whatever C struct the capsule carries, never at a Python
 * object, and are zero-length; {@link MemorySegment#reinterpret(long)} them to the struct's size.
 * What the struct's owner allows (when it may be read, who frees it) is the protocol's business,
 * not pyjama's.
 *
 * {@snippet :
 * try (var py = Python.attach()) {
 *     PyObject capsule = table.callMethod("__arrow_c_stream__");
 *     MemorySegment stream = PyCapsules.pointer(capsule, "arrow_array_stream");
 * }
 * }
 */
public final class PyCapsules {

    private PyCapsules() {}

    /**
     * The pointer held by {@code capsule}, which must be a capsule named {@code name}.
     *
     * @param capsule the capsule
     * @param name the name the capsule must have
     * @return the pointer, as a zero-length segment
     * @throws dev.pyjama.exceptions.PyValueError if {@code capsule} is not a capsule of that name or holds NULL
     */
    public static MemorySegment pointer(PyObject capsule, String name) {
        Objects.requireNonNull(name, "name");
        return MemorySegment.ofAddress(Capsules.pointerOrThrow(capsule.ptr(), Upcalls.capsuleName(name)));
    }

    /**
     * Whether {@code object} is a capsule named {@code name}.
     *
     * @param object any object
     * @param name the capsule name
     * @return true for a capsule of that name
     */
    public static boolean isCapsule(PyObject object, String name) {
        Objects.requireNonNull(name, "name");
        return Capsules.isValid(object.ptr(), Upcalls.capsuleName(name));
    }

    /**
     * A new capsule named {@code name} holding {@code pointer}. When Python frees it, {@code destructor}
     * runs once with the pointer, on the thread that dropped the last reference, attached (the GIL is
     * held); it must not call Python. An exception it throws goes to that thread's uncaught-exception
     * handler, never into Python.
     *
     * @param py the attach token of the calling thread
     * @param name the capsule's name (kept for the life of the process)
     * @param pointer the pointer the capsule carries, not NULL
     * @param destructor what to run when Python frees the capsule, or null for nothing
     * @return the capsule, owned by {@code py}'s scope
     */
    public static PyObject create(Python py, String name, MemorySegment pointer, Consumer<MemorySegment> destructor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pointer, "pointer");
        if (pointer.address() == 0) {
            throw new IllegalArgumentException("a capsule cannot hold NULL");
        }
        var scope = py.usableScope().innermost();
        return Handles.wrap(scope, Upcalls.newUserCapsule(pointer, name, destructor), PyObject.class);
    }
}
