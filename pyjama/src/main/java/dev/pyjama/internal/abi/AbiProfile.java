package dev.pyjama.internal.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * What pyjama knows about the running CPython's binary interface, chosen once at start: its
 * version and build, and which shortcuts (reads and writes of object memory instead of calls) are
 * on. Everything else in pyjama asks this profile rather than a version number.
 *
 * <p>A shortcut is on only where both hold: the version and build are among those it was verified
 * on (listed with each shortcut below), and its probe confirmed the layout at start against
 * objects CPython made itself. Everywhere else, and whenever {@code -Dpyjama.abi=portable} (or
 * {@code PYJAMA_ABI=portable}) asks for it, the profile is <em>portable</em>: only exported
 * functions are called and no object memory is read or written, so pyjama runs on any CPython that
 * runs a stable-ABI extension, including versions released after this jar. (On 3.10 to 3.13 a
 * portable profile still fits the recursion budget of the thread states pyjama makes, a safety
 * measure rather than a shortcut: see {@link ThreadStateLayout}.)
 *
 * <p>The shortcuts and where they were verified:
 * <ul>
 *   <li>{@code inlineRefCounts}: {@code Py_INCREF}/{@code Py_DECREF} done in Java on the classic
 *       header (GIL builds 3.10 to 3.13, no reference-debug build). Free-threaded builds count
 *       references in two fields with atomics; 3.14 changed the immortal encoding: both call
 *       {@code Py_IncRef}/{@code Py_DecRef}.</li>
 *   <li>{@code typeOffset}: {@code Py_TYPE} read from the header (8 on GIL builds, 24 on
 *       free-threaded 3.13), found by a probe of two objects of known type; portable mode asks
 *       {@code PyObject_Type} instead.</li>
 *   <li>with {@code typeOffset}: the pointer of a capsule pyjama made (named by pyjama's own C
 *       string) read in Java (3.10 to 3.14, free-threaded 3.13), probe: {@link CapsuleLayout}.</li>
 *   <li>{@code compactInts}: ints of up to two 30-bit digits read in Java (3.10 to 3.14, GIL and
 *       free-threaded 3.13), probe: {@link IntLayout}.</li>
 *   <li>{@code exactFloats}: a float's value read in Java (3.10 to 3.14), probe: {@link FloatLayout}.</li>
 *   <li>{@code compactStrs}: strs copied in and out of PEP 393 storage (3.10 to 3.14), probe:
 *       {@link StrLayout}.</li>
 *   <li>{@code stackGuard}: a new thread state's recursion budget fitted to the Java thread's stack
 *       (3.10 to 3.13; 3.14 checks the real stack itself), guarded by neighbouring fields:
 *       {@link ThreadStateLayout}.</li>
 * </ul>
 *
 * @param version the full version string ({@code Py_GetVersion})
 * @param minor the minor version (3.x)
 * @param freeThreaded whether the build is free-threaded ({@code Py_GIL_DISABLED})
 * @param portable whether the profile is portable (no shortcut at all)
 * @param reason why this profile was chosen
 * @param typeOffset where {@code ob_type} is in an object header; 0 when not read (portable)
 * @param inlineRefCounts whether reference counts are changed in Java
 * @param compactInts whether small ints are read in Java
 * @param exactFloats whether floats are read in Java
 * @param compactStrs whether strs are copied in PEP 393 form
 * @param stackGuard whether new thread states get a recursion budget fitted to their stack
 */
public record AbiProfile(String version, int minor, boolean freeThreaded, boolean portable, String reason,
        long typeOffset, boolean inlineRefCounts, boolean compactInts, boolean exactFloats, boolean compactStrs,
        boolean stackGuard) {

    /** The newest minor version whose layouts were verified (with the GIL). */
    static final int NEWEST_VERIFIED = 14;
    /** The free-threaded minor versions whose layouts were verified. */
    static final int[] FREE_THREADED_VERIFIED = {13};

    /** What the user asked for: the system property {@code pyjama.abi}, else {@code PYJAMA_ABI}. */
    public static String requestedMode() {
        String mode = System.getProperty("pyjama.abi");
        if (mode == null || mode.isEmpty()) {
            mode = System.getenv("PYJAMA_ABI");
        }
        return mode == null || mode.isEmpty() ? "auto" : mode;
    }

    /**
     * The starting profile for a CPython before its probes run: portable when asked for or when the
     * version or build was not verified; otherwise every shortcut its version allows, each still
     * subject to its probe ({@link #confirmed}).
     */
    public static AbiProfile initial(String version, int minor, boolean freeThreaded) {
        String mode = requestedMode();
        if (!mode.equals("auto") && !mode.equals("portable")) {
            throw new IllegalArgumentException("pyjama.abi must be \"auto\" or \"portable\", not \"" + mode + "\"");
        }
        String build = "CPython 3." + minor + (freeThreaded ? "t (free-threaded)" : "");
        if (mode.equals("portable")) {
            return portable(version, minor, freeThreaded, "portable: asked for (pyjama.abi=portable)");
        }
        boolean verified = freeThreaded ? contains(FREE_THREADED_VERIFIED, minor) : minor <= NEWEST_VERIFIED;
        if (!verified) {
            return portable(version, minor, freeThreaded, "portable: " + build
                    + " is not among the builds whose layouts this pyjama was verified on (3.10 to 3." + NEWEST_VERIFIED
                    + ", free-threaded 3.13)");
        }
        return new AbiProfile(version, minor, freeThreaded, false, "verified: " + build, -1,
                !freeThreaded && minor <= 13, true, true, true, minor <= 13);
    }

    /**
     * No shortcut for speed. The one write kept is the recursion budget of a thread state pyjama
     * made, on 3.10 to 3.13 only: there CPython bounds C recursion by a count sized for an 8 MiB
     * stack, and a Java thread's smaller stack overflows before it (the JVM ends); 3.14 and later
     * check the real stack bounds themselves. Each write checks the neighbouring fields first.
     */
    private static AbiProfile portable(String version, int minor, boolean freeThreaded, String reason) {
        return new AbiProfile(version, minor, freeThreaded, true, reason, 0, false, false, false, false, minor <= 13);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** This profile with the header probe's result: where {@code ob_type} is, or 0 (then every shortcut is off). */
    public AbiProfile withTypeOffset(long offset, boolean noRefDebug) {
        if (portable) {
            return this;
        }
        if (offset == 0) {
            return portable(version, minor, freeThreaded,
                    "portable: the object header did not have the layout of a verified build");
        }
        return new AbiProfile(version, minor, freeThreaded, false, reason, offset,
                inlineRefCounts && offset == 8 && noRefDebug, compactInts, exactFloats, compactStrs, stackGuard);
    }

    /** This profile with the value-layout probes' results (a failed probe turns its shortcut off). */
    public AbiProfile confirmed(boolean ints, boolean floats, boolean strs) {
        return new AbiProfile(version, minor, freeThreaded, portable, reason, typeOffset, inlineRefCounts,
                compactInts && ints, exactFloats && floats, compactStrs && strs, stackGuard);
    }

    /** The size of an object header: where an object's own fields start (shortcuts only). */
    public long headerSize() {
        return typeOffset + 8;
    }

    /** A one-line description, as {@code Python.info()} shows it. */
    public String describe() {
        if (portable) {
            return reason + (stackGuard ? " (recursion fitted to the thread's stack)" : "");
        }
        List<String> on = new ArrayList<>();
        if (inlineRefCounts) {
            on.add("reference counts in Java");
        }
        on.add("ob_type read at " + typeOffset);
        if (compactInts) {
            on.add("ints read in Java");
        }
        if (exactFloats) {
            on.add("floats read in Java");
        }
        if (compactStrs) {
            on.add("strs copied as PEP 393");
        }
        if (stackGuard) {
            on.add("recursion fitted to the thread's stack");
        }
        return reason + " (" + String.join(", ", on) + ")";
    }
}
