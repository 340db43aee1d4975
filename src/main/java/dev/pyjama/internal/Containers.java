package dev.pyjama.internal;

import static dev.pyjama.internal.CApi.checkInt;
import static dev.pyjama.internal.CApi.checkNew;
import static dev.pyjama.internal.CApi.checkSize;
import static dev.pyjama.internal.CApi.p;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.pyjama.ffi.LibPython;
import java.lang.foreign.MemorySegment;

/**
 * The C API of the built-in containers (list, tuple, dict, set, frozenset, bytes, bytearray,
 * slice), with the ownership rules of {@link CApi}: {@code new...} results are new references,
 * arguments are borrowed, and {@code stolen} parameters are taken over. The caller holds the GIL.
 *
 * <p>These act on the base type's storage even for subclasses (like PyO3's typed methods); use
 * {@code callMethod} to go through a subclass' overrides.
 */
public final class Containers {

    private Containers() {}

    // --- list ---

    /** A new empty list: a new reference. */
    public static long newList() {
        return checkNew(LibPython.PyList_New(0));
    }

    /** {@code list(iterable)}: a new reference. */
    public static long newListOf(long iterable) {
        return checkNew(LibPython.PySequence_List(p(iterable)));
    }

    /** {@code list.append(item)}. */
    public static void listAppend(long list, long item) {
        checkInt(LibPython.PyList_Append(p(list), p(item)));
    }

    /** {@code list.insert(index, item)}. */
    public static void listInsert(long list, long index, long item) {
        checkInt(LibPython.PyList_Insert(p(list), index, p(item)));
    }

    /** {@code list[index]} without negative indices: a new reference; IndexError when out of range. */
    public static long newListItem(long list, long index) {
        if (Interpreter.freeThreaded()) {
            // Another thread may shrink the list between a borrow and an incref: take a strong one.
            return checkNew(LibPython.PySequence_GetItem(p(list), index));
        }
        long item = checkNew(LibPython.PyList_GetItem(p(list), index));
        CApi.incRef(item); // OWNERSHIP: PyList_GetItem lends; the caller gets its own reference
        return item;
    }

    /** {@code list[index] = item}; the list steals {@code stolen}, also on failure. */
    public static void listSetStolen(long list, long index, long stolen) {
        checkInt(LibPython.PyList_SetItem(p(list), index, p(stolen)));
    }

    /** {@code len(list)}. */
    public static long listSize(long list) {
        return checkSize(LibPython.PyList_Size(p(list)));
    }

    /** {@code list[low:high]}: a new reference. */
    public static long newListSlice(long list, long low, long high) {
        return checkNew(LibPython.PyList_GetSlice(p(list), low, high));
    }

    /** {@code list.sort()}. */
    public static void listSort(long list) {
        checkInt(LibPython.PyList_Sort(p(list)));
    }

    /** {@code list.reverse()}. */
    public static void listReverse(long list) {
        checkInt(LibPython.PyList_Reverse(p(list)));
    }

    /** {@code tuple(list)}: a new reference. */
    public static long newListAsTuple(long list) {
        return checkNew(LibPython.PyList_AsTuple(p(list)));
    }

    // --- sequences ---

    /** {@code seq[index]} (negative indices count from the end): a new reference. */
    public static long newSequenceItem(long seq, long index) {
        return checkNew(LibPython.PySequence_GetItem(p(seq), index));
    }

    /** {@code seq.index(value)}. */
    public static long sequenceIndex(long seq, long value) {
        return checkSize(LibPython.PySequence_Index(p(seq), p(value)));
    }

    /** {@code seq[low:high]}: a new reference. */
    public static long newSequenceSlice(long seq, long low, long high) {
        return checkNew(LibPython.PySequence_GetSlice(p(seq), low, high));
    }

    // --- dict ---

    /** {@code d[key]} for a dict: a new reference, or 0 when the key is missing (no error set). */
    public static long newDictItemOrZero(long dict, long key) {
        if (Interpreter.freeThreaded()) {
            return CriticalSections.run(dict, () -> borrowAndIncref(dict, key));
        }
        return borrowAndIncref(dict, key);
    }

    private static long borrowAndIncref(long dict, long key) {
        long item = LibPython.PyDict_GetItemWithError(p(dict), p(key)).address();
        if (item == 0) {
            if (CApi.errorPending()) {
                throw PythonErrors.fetch();
            }
            return 0;
        }
        CApi.incRef(item); // OWNERSHIP: borrowed from the dict; a __del__ elsewhere could drop it
        return item;
    }

    /** {@code del d[key]} for a dict. */
    public static void dictDelItem(long dict, long key) {
        checkInt(LibPython.PyDict_DelItem(p(dict), p(key)));
    }

    /** {@code key in d} for a dict. */
    public static boolean dictContains(long dict, long key) {
        return checkInt(LibPython.PyDict_Contains(p(dict), p(key))) == 1;
    }

    /** {@code len(d)}. */
    public static long dictSize(long dict) {
        return checkSize(LibPython.PyDict_Size(p(dict)));
    }

    /** {@code d.clear()}. */
    public static void dictClear(long dict) {
        LibPython.PyDict_Clear(p(dict));
    }

    /** {@code d.update(other)} for a mapping (or an iterable of pairs when {@code pairs} is true). */
    public static void dictUpdate(long dict, long other) {
        checkInt(LibPython.PyDict_Update(p(dict), p(other)));
    }

    /** {@code d.copy()}: a new reference. */
    public static long newDictCopy(long dict) {
        return checkNew(LibPython.PyDict_Copy(p(dict)));
    }

    // --- set and frozenset ---

    /** {@code set(iterable)}, or an empty set when {@code iterable} is 0: a new reference. */
    public static long newSet(long iterable) {
        return checkNew(LibPython.PySet_New(p(iterable)));
    }

    /** {@code frozenset(iterable)}, or an empty one when {@code iterable} is 0: a new reference. */
    public static long newFrozenSet(long iterable) {
        return checkNew(LibPython.PyFrozenSet_New(p(iterable)));
    }

    /** {@code s.add(key)}. */
    public static void setAdd(long set, long key) {
        checkInt(LibPython.PySet_Add(p(set), p(key)));
    }

    /** {@code s.discard(key)}: whether it was present. */
    public static boolean setDiscard(long set, long key) {
        return checkInt(LibPython.PySet_Discard(p(set), p(key))) == 1;
    }

    /** {@code key in s}. */
    public static boolean setContains(long set, long key) {
        return checkInt(LibPython.PySet_Contains(p(set), p(key))) == 1;
    }

    /** {@code len(s)}. */
    public static long setSize(long set) {
        return checkSize(LibPython.PySet_Size(p(set)));
    }

    /** {@code s.clear()}. */
    public static void setClear(long set) {
        checkInt(LibPython.PySet_Clear(p(set)));
    }

    // --- bytes, bytearray, slice ---

    /** {@code bytes(data)}: a new reference. */
    public static long newBytes(byte[] data) {
        MemorySegment buffer = Scratch.bytes(data.length);
        MemorySegment.copy(data, 0, buffer, JAVA_BYTE, 0, data.length);
        return checkNew(LibPython.PyBytes_FromStringAndSize(buffer, data.length));
    }

    /** {@code bytearray(data)}: a new reference. */
    public static long newByteArray(byte[] data) {
        MemorySegment buffer = Scratch.bytes(data.length);
        MemorySegment.copy(data, 0, buffer, JAVA_BYTE, 0, data.length);
        return checkNew(LibPython.PyByteArray_FromStringAndSize(buffer, data.length));
    }

    /** {@code slice(start, stop, step)}; each argument may be 0 for None: a new reference. */
    public static long newSlice(long start, long stop, long step) {
        return checkNew(LibPython.PySlice_New(p(start), p(stop), p(step)));
    }
}
