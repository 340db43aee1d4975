package dev.pyjama.internal.abi;

import static dev.pyjama.internal.abi.CApi.checkInt;
import static dev.pyjama.internal.abi.CApi.checkNew;
import static dev.pyjama.internal.abi.CApi.checkSize;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
        return checkNew(Symbol.PyList_New.call(0));
    }

    /** {@code list(iterable)}: a new reference. */
    public static long newListOf(long iterable) {
        return checkNew(Symbol.PySequence_List.call(iterable));
    }

    /** {@code list.append(item)}. */
    public static void listAppend(long list, long item) {
        checkInt(Symbol.PyList_Append.call(list, item));
    }

    /** {@code list.insert(index, item)}. */
    public static void listInsert(long list, long index, long item) {
        checkInt(Symbol.PyList_Insert.call(list, index, item));
    }

    /** {@code list[index]} without negative indices: a new reference; IndexError when out of range. */
    public static long newListItem(long list, long index) {
        if (Abi.freeThreaded()) {
            // Another thread may shrink the list between a borrow and an incref: ask for a strong
            // reference, which CPython takes safely without the list's lock (3.13+, as every
            // free-threaded build is).
            return checkNew(Symbol.PyList_GetItemRef.call(list, index));
        }
        long item = checkNew(Symbol.PyList_GetItem.call(list, index));
        CApi.incRef(item); // OWNERSHIP: PyList_GetItem lends; the caller gets its own reference
        return item;
    }

    /**
     * The items of a list (or a subclass: its list storage), copied in one step: new references,
     * which the caller releases ({@link #releaseAll}). The copy is taken inside the list's critical
     * section on a free-threaded build and with the GIL held otherwise, and nothing in it runs Python
     * code, so it is the list as it was at one moment, whatever other threads do to it meanwhile.
     */
    public static long[] newListItems(long list) {
        long section = CriticalSections.begin(list);
        try {
            long n = checkSize(Symbol.PyList_Size.call(list));
            long[] items = new long[Math.toIntExact(n)];
            for (int i = 0; i < items.length; i++) {
                // OWNERSHIP: borrowed from the list, which no thread can change while we hold its lock
                // (or the GIL); each becomes the caller's own reference before the section ends.
                long item = checkNew(Symbol.PyList_GetItem.call(list, i));
                CApi.incRef(item);
                items[i] = item;
            }
            return items;
        } finally {
            CriticalSections.end(section);
        }
    }

    /** {@code list[index] = item}; the list steals {@code stolen}, also on failure. */
    public static void listSetStolen(long list, long index, long stolen) {
        checkInt(Symbol.PyList_SetItem.call(list, index, stolen));
    }

    /** {@code len(list)}. */
    public static long listSize(long list) {
        return checkSize(Symbol.PyList_Size.call(list));
    }

    /** {@code list[low:high]}: a new reference. */
    public static long newListSlice(long list, long low, long high) {
        return checkNew(Symbol.PyList_GetSlice.call(list, low, high));
    }

    /** {@code list.sort()}. */
    public static void listSort(long list) {
        checkInt(Symbol.PyList_Sort.call(list));
    }

    /** {@code list.reverse()}. */
    public static void listReverse(long list) {
        checkInt(Symbol.PyList_Reverse.call(list));
    }

    /** {@code tuple(list)}: a new reference. */
    public static long newListAsTuple(long list) {
        return checkNew(Symbol.PyList_AsTuple.call(list));
    }

    // --- sequences ---

    /** {@code seq[index]} (negative indices count from the end): a new reference. */
    public static long newSequenceItem(long seq, long index) {
        return checkNew(Symbol.PySequence_GetItem.call(seq, index));
    }

    /** {@code seq.index(value)}. */
    public static long sequenceIndex(long seq, long value) {
        return checkSize(Symbol.PySequence_Index.call(seq, value));
    }

    /** {@code seq[low:high]}: a new reference. */
    public static long newSequenceSlice(long seq, long low, long high) {
        return checkNew(Symbol.PySequence_GetSlice.call(seq, low, high));
    }

    // --- dict ---

    /** {@code d[key]} for a dict: a new reference, or 0 when the key is missing (no error set). */
    public static long newDictItemOrZero(long dict, long key) {
        long item = newDictItemOrZeroErrorPending(dict, key);
        if (item == 0 && CApi.errorPending()) {
            throw PendingError.fetch();
        }
        return item;
    }

    /**
     * {@code d.get(key)} without calling {@code __missing__}: a new reference, or 0 when the key is
     * missing or the lookup failed (the error then stays pending, for code that must not throw).
     */
    public static long newDictItemOrZeroErrorPending(long dict, long key) {
        if (Abi.freeThreaded()) {
            // A borrowed value could be freed by another thread's d[key] = other before the incref:
            // PyDict_GetItemRef (3.13+, as every free-threaded build is) hands out a strong one.
            Scratch s = Scratch.current();
            long result = s.push(1);
            try {
                int found = (int) Symbol.PyDict_GetItemRef.call(dict, key, result);
                return found == 1 ? Native.ALL.get(JAVA_LONG, result) : 0; // OWNERSHIP: new reference
            } finally {
                s.pop(1);
            }
        }
        long item = Symbol.PyDict_GetItemWithError.call(dict, key);
        if (item != 0) {
            CApi.incRef(item); // OWNERSHIP: borrowed from the dict; a __del__ elsewhere could drop it
        }
        return item;
    }

    /**
     * The entries of a dict (or a subclass: its dict storage) copied in one step, as
     * {@code [key0, value0, key1, value1, ...]}: new references, which the caller releases
     * ({@link #releaseAll}). The copy is taken with {@code PyDict_Next} inside the dict's critical
     * section on a free-threaded build and with the GIL held otherwise, and nothing in it runs Python
     * code, so keys and values belong together and are the dict as it was at one moment, whatever
     * other threads do to it meanwhile.
     */
    public static long[] newDictItems(long dict) {
        Scratch s = Scratch.current();
        long pos = s.push(3); // Py_ssize_t pos; PyObject *key; PyObject *value
        long keySlot = pos + 8;
        long valueSlot = pos + 16;
        try {
            long section = CriticalSections.begin(dict);
            try {
                long[] out = new long[Math.toIntExact(2 * checkSize(Symbol.PyDict_Size.call(dict)))];
                int n = 0;
                Native.ALL.set(JAVA_LONG, pos, 0);
                while (Symbol.PyDict_Next.call(dict, pos, keySlot, valueSlot) != 0) {
                    if (n == out.length) { // cannot happen while the dict is locked; kept memory-safe anyway
                        out = java.util.Arrays.copyOf(out, Math.max(8, 2 * n));
                    }
                    // OWNERSHIP: PyDict_Next lends key and value; both become the caller's before the section ends.
                    out[n++] = CApi.newRef(Native.ALL.get(JAVA_LONG, keySlot));
                    out[n++] = CApi.newRef(Native.ALL.get(JAVA_LONG, valueSlot));
                }
                return n == out.length ? out : java.util.Arrays.copyOf(out, n);
            } finally {
                CriticalSections.end(section);
            }
        } finally {
            s.pop(3);
        }
    }

    /**
     * The items of a list or tuple (or a subclass of either: the base type's storage) as new
     * references, which the caller releases ({@link #releaseAll}); a list's in one step
     * ({@link #newListItems}).
     */
    public static long[] newSequenceItems(long seq) {
        if (TypeChecks.isList(seq)) {
            return newListItems(seq);
        }
        long[] items = new long[Math.toIntExact(CApi.tupleSize(seq))];
        for (int i = 0; i < items.length; i++) {
            items[i] = CApi.newRef(CApi.borrowedTupleItem(seq, i)); // OWNERSHIP: a tuple lends; the caller owns these
        }
        return items;
    }

    /** What {@link #forEachItem} hands each item to: its index and the item (borrowed for the call). */
    @FunctionalInterface
    public interface ItemVisitor {
        /** Visits item {@code index}; {@code item} is valid until this returns. */
        void visit(long index, long item);
    }

    /** What {@link #forEachDictItem} hands each entry to: key and value, borrowed for the call. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** Visits one entry; {@code key} and {@code value} are valid until this returns. */
        void visit(long key, long value);
    }

    /**
     * Visits the items of a list or tuple (or a subclass of either: the base type's storage) in
     * order. A list is copied first ({@link #newListItems}), so the visitor sees one state of it and
     * never runs inside the critical section: it may call back into Python, which may change the
     * list or wait for another thread. A tuple cannot change: its items are visited in place.
     */
    public static void forEachItem(long seq, ItemVisitor visitor) {
        if (TypeChecks.isList(seq)) {
            long[] items = newListItems(seq);
            int i = 0;
            try {
                while (i < items.length) {
                    long item = items[i++];
                    try {
                        visitor.visit(i - 1, item);
                    } finally {
                        CApi.decRef(item);
                    }
                }
            } finally {
                releaseAll(items, i);
            }
            return;
        }
        long n = CApi.tupleSize(seq);
        for (long i = 0; i < n; i++) {
            // OWNERSHIP: borrowed from the tuple, which cannot change and which the caller keeps alive.
            visitor.visit(i, CApi.borrowedTupleItem(seq, i));
        }
    }

    /**
     * Visits the entries of a dict (or a subclass: its dict storage) in the dict's order, from a
     * copy ({@link #newDictItems}): the visitor sees one state of the dict, keys with their own
     * values, and never runs inside the critical section (it may call back into Python, which may
     * change the dict or wait for another thread).
     */
    public static void forEachDictItem(long dict, EntryVisitor visitor) {
        long[] items = newDictItems(dict);
        int i = 0;
        try {
            while (i < items.length) {
                long key = items[i++];
                long value = items[i++];
                try {
                    visitor.visit(key, value);
                } finally {
                    CApi.decRef(value);
                    CApi.decRef(key);
                }
            }
        } finally {
            releaseAll(items, i);
        }
    }

    /** Releases the references {@code refs[from..]} (a copy's rest, after a visitor threw). */
    public static void releaseAll(long[] refs, int from) {
        for (int i = from; i < refs.length; i++) {
            CApi.decRef(refs[i]);
        }
    }

    /** {@code del d[key]} for a dict. */
    public static void dictDelItem(long dict, long key) {
        checkInt(Symbol.PyDict_DelItem.call(dict, key));
    }

    /** {@code key in d} for a dict. */
    public static boolean dictContains(long dict, long key) {
        return checkInt(Symbol.PyDict_Contains.call(dict, key)) == 1;
    }

    /** {@code len(d)}. */
    public static long dictSize(long dict) {
        return checkSize(Symbol.PyDict_Size.call(dict));
    }

    /** {@code d.clear()}. */
    public static void dictClear(long dict) {
        Symbol.PyDict_Clear.call(dict);
    }

    /** {@code d.update(other)} for a mapping (or an iterable of pairs when {@code pairs} is true). */
    public static void dictUpdate(long dict, long other) {
        checkInt(Symbol.PyDict_Update.call(dict, other));
    }

    /** {@code d.copy()}: a new reference. */
    public static long newDictCopy(long dict) {
        return checkNew(Symbol.PyDict_Copy.call(dict));
    }

    // --- set and frozenset ---

    /** {@code set(iterable)}, or an empty set when {@code iterable} is 0: a new reference. */
    public static long newSet(long iterable) {
        return checkNew(Symbol.PySet_New.call(iterable));
    }

    /** {@code frozenset(iterable)}, or an empty one when {@code iterable} is 0: a new reference. */
    public static long newFrozenSet(long iterable) {
        return checkNew(Symbol.PyFrozenSet_New.call(iterable));
    }

    /**
     * An iterator for reading a set or frozenset through: {@code iter(s)}, except for an exact set on a
     * free-threaded build, where it runs over {@code list(s)}: CPython copies an exact set into a list
     * under the set's lock, so another thread's {@code add} or {@code discard} can neither make the
     * reading raise "Set changed size during iteration" nor mix two states of the set (with the GIL,
     * reading through without calling Python code is one step already). A new reference.
     */
    public static long newSetReadingIter(long set) {
        if (Abi.freeThreaded() && CApi.borrowedType(set) == Abi.setType()) {
            long copy = newListOf(set);
            try {
                return CApi.newIter(copy);
            } finally {
                CApi.decRef(copy);
            }
        }
        return CApi.newIter(set);
    }

    /** {@code s.add(key)}. */
    public static void setAdd(long set, long key) {
        checkInt(Symbol.PySet_Add.call(set, key));
    }

    /** {@code s.discard(key)}: whether it was present. */
    public static boolean setDiscard(long set, long key) {
        return checkInt(Symbol.PySet_Discard.call(set, key)) == 1;
    }

    /** {@code key in s}. */
    public static boolean setContains(long set, long key) {
        return checkInt(Symbol.PySet_Contains.call(set, key)) == 1;
    }

    /** {@code len(s)}. */
    public static long setSize(long set) {
        return checkSize(Symbol.PySet_Size.call(set));
    }

    /** {@code s.clear()}. */
    public static void setClear(long set) {
        checkInt(Symbol.PySet_Clear.call(set));
    }

    // --- bytes, bytearray, slice ---

    /** {@code bytes(data)}: a new reference, written with one copy of {@code data}. */
    public static long newBytes(byte[] data) {
        return newBytes(MemorySegment.ofArray(data));
    }

    /**
     * {@code bytes} holding a copy of {@code data} (a heap or native segment): a new reference. The
     * bytes object is allocated uninitialised ({@code PyBytes_FromStringAndSize(NULL, n)}, as C
     * extensions do) and written with one bulk copy before any Python code can see it.
     */
    public static long newBytes(MemorySegment data) {
        long n = data.byteSize();
        long bytes = checkNew(Symbol.PyBytes_FromStringAndSize.call(0, n));
        if (n > 0) {
            // OWNERSHIP: the data belongs to the new bytes object, which nothing else references yet.
            long target = Symbol.PyBytes_AsString.call(bytes);
            Buffers.adviseHugePages(target, n);
            MemorySegment.copy(data, 0, MemorySegment.ofAddress(target).reinterpret(n), 0, n);
        }
        return bytes;
    }

    /** {@code bytearray(data)}: a new reference, written with one copy of {@code data}. */
    public static long newByteArray(byte[] data) {
        return newByteArray(MemorySegment.ofArray(data));
    }

    /** {@code bytearray} holding a copy of {@code data}: a new reference (one bulk copy, as {@link #newBytes(MemorySegment)}). */
    public static long newByteArray(MemorySegment data) {
        long n = data.byteSize();
        long array = checkNew(Symbol.PyByteArray_FromStringAndSize.call(0, n));
        if (n > 0) {
            // OWNERSHIP: the data belongs to the new bytearray, which nothing else references yet.
            long target = Symbol.PyByteArray_AsString.call(array);
            Buffers.adviseHugePages(target, n);
            MemorySegment.copy(data, 0, MemorySegment.ofAddress(target).reinterpret(n), 0, n);
        }
        return array;
    }

    /** {@code slice(start, stop, step)}; each argument may be 0 for None: a new reference. */
    public static long newSlice(long start, long stop, long step) {
        return checkNew(Symbol.PySlice_New.call(start, stop, step));
    }

    /** {@code bytes} of the {@code n} bytes at {@code data} (copied): a new reference. */
    public static long newBytes(long data, long n) {
        return checkNew(Symbol.PyBytes_FromStringAndSize.call(data, n));
    }

    /** A copy of the contents of a bytes object (or subclass). */
    public static byte[] bytesContent(long bytes) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment out = arena.allocate(16, 8); // char *data; Py_ssize_t size
            checkInt(Symbol.PyBytes_AsStringAndSize.call(bytes, out.address(), out.address() + 8));
            long n = out.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8);
            // OWNERSHIP: the data belongs to the bytes object, which the caller keeps alive.
            return MemorySegment.ofAddress(out.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0)).reinterpret(n)
                    .toArray(JAVA_BYTE);
        }
    }

    /** A copy of the contents of a bytearray (or subclass). */
    public static byte[] byteArrayContent(long byteArray) {
        long n = checkSize(Symbol.PyByteArray_Size.call(byteArray));
        if (n == 0) {
            return new byte[0];
        }
        return MemorySegment.ofAddress(Symbol.PyByteArray_AsString.call(byteArray)).reinterpret(n).toArray(JAVA_BYTE);
    }
}
