package dev.pyjama.internal.abi;

/**
 * Python's critical sections ({@code Py_BEGIN_CRITICAL_SECTION}, {@code Py_BEGIN_CRITICAL_SECTION2}):
 * the per-object locks that take the GIL's place on a free-threaded build. pyjama takes one around
 * every container read that copies references out of a list or dict ({@link Containers}), and the
 * public {@code Python.criticalSection} lends them to users.
 *
 * <p>On a GIL build {@link #begin} and {@link #end} cost a branch and call nothing: the GIL already
 * serialises what a section would (CPython's own {@code Py_BEGIN_CRITICAL_SECTION} is an empty block
 * there). On a free-threaded build a section lives on the calling thread's scratch stack
 * ({@link Scratch#push}), not in an arena per call: CPython links the thread's sections through
 * their addresses, so a section must stay where it is until it ends, and sections end in the
 * reverse order they began ({@code begin}/{@code end} in a try/finally).
 *
 * <p>What a section guarantees is CPython's rule, not a stronger one: only the innermost section of
 * a thread is sure to be held. CPython suspends every section of a thread (unlocks their objects)
 * while the thread is detached ({@code py.detach}, a blocking call that releases the thread state,
 * waiting for another lock, including a nested section on an object another thread holds) and
 * locks them again before the thread goes on. So the code between {@code begin} and {@code end}
 * must not block while it relies on the section; pyjama's own sections only copy references out
 * ({@code PyDict_Next}, {@code PyList_GetItem}, {@code Py_IncRef}), which neither block nor run
 * Python code.
 */
public final class CriticalSections {

    private CriticalSections() {}

    /**
     * The words reserved for one section. {@code PyCriticalSection} is 2 words and
     * {@code PyCriticalSection2} 3 on CPython 3.13 and 3.14 ({@code Include/cpython/critical_section.h});
     * the header calls their contents private and free to change between releases, so a section gets
     * room for growth. Scratch memory is 8-byte aligned, as the tagged pointers in the structs need.
     */
    static final int WORDS = 8;

    /**
     * Begins a critical section on {@code op} ({@code PyCriticalSection_Begin}) when the build is
     * free-threaded; may wait (detached) while another thread holds {@code op}. The caller is
     * attached and calls {@link #end} with the result in a finally block.
     *
     * @return the section, for {@link #end}; 0 on a GIL build
     */
    public static long begin(long op) {
        if (!Abi.freeThreaded()) {
            return 0;
        }
        Scratch s = Scratch.current();
        long section = s.push(WORDS);
        Symbol.PyCriticalSection_Begin.call(section, op);
        s.criticalSections++;
        return section;
    }

    /**
     * Begins a critical section on two objects at once ({@code PyCriticalSection2_Begin}: locked in
     * address order, so two threads locking the same pair cannot deadlock; the same object twice is
     * locked once) when the build is free-threaded.
     *
     * @return the section, for {@link #end2}; 0 on a GIL build
     */
    public static long begin2(long a, long b) {
        if (!Abi.freeThreaded()) {
            return 0;
        }
        Scratch s = Scratch.current();
        long section = s.push(WORDS);
        Symbol.PyCriticalSection2_Begin.call(section, a, b);
        s.criticalSections++;
        return section;
    }

    /** Ends a section {@link #begin} began ({@code PyCriticalSection_End}); nothing for 0. */
    public static void end(long section) {
        if (section == 0) {
            return;
        }
        Symbol.PyCriticalSection_End.call(section);
        Scratch s = Scratch.current();
        s.criticalSections--;
        s.pop(WORDS);
    }

    /** Ends a section {@link #begin2} began ({@code PyCriticalSection2_End}); nothing for 0. */
    public static void end2(long section) {
        if (section == 0) {
            return;
        }
        Symbol.PyCriticalSection2_End.call(section);
        Scratch s = Scratch.current();
        s.criticalSections--;
        s.pop(WORDS);
    }

    /** How many sections begun through this class the calling thread has not ended (0 on a GIL build). */
    public static int openOnThisThread() {
        return Abi.freeThreaded() ? Scratch.current().criticalSections : 0;
    }
}
