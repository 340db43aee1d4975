package dev.pyjama.internal.convert;

import dev.pyjama.PyConverter;
import dev.pyjama.exceptions.PyRecursionError;
import java.lang.reflect.Type;

/**
 * Java values to Python objects and back. The caller holds the GIL.
 *
 * <p>Java to Python ({@link #newToPython}): the fast paths (null, PyObject / Py, String, the boxed
 * primitives, BigInteger, byte[]) first; then the registered {@link PyConverter}s (user ones, then
 * the built-in ones for {@code java.time}, BigDecimal, UUID, Path and enums, see
 * {@link ConverterRegistry}); then the structural rules: CharSequence to str, ByteBuffer to bytes,
 * Optional, Map to dict, Set to set, other Collections, Iterables and arrays to list, records to a
 * named tuple. Inside a dict key or a set element (where Python needs a hashable value) a
 * collection or array becomes a tuple and a Set a frozenset, so {@code Map<List<Integer>, V>} works.
 *
 * <p>Python to Java ({@link #toJava(long, Type)}) is strict about kinds (a str is not a number, an
 * int is not a bool) and exact about values: an int that does not fit the Java type is an
 * {@code OverflowError}, never a wrap. None converts to null only for an Object target, to an
 * empty Optional, or to a handle; for any other target it is a TypeError (as in PyO3: ask for
 * {@code Optional<String>} to accept None). An error inside a container
 * names the path to the bad element: {@code [3]["x"]: expected int, got str}.
 *
 * <p>Nesting is limited to {@value #MAX_DEPTH} levels both ways (which also stops self-containing
 * structures): Java to Python throws {@link IllegalArgumentException}, Python to Java
 * {@link PyRecursionError}, never a {@link StackOverflowError}.
 */
public final class Conversions {

    /** How deep containers may nest in a conversion. */
    public static final int MAX_DEPTH = 1000;

    static final String NESTING = "nesting deeper than " + MAX_DEPTH + " levels";

    private Conversions() {}

    /** A new reference to the Python form of {@code value}. */
    public static long newToPython(Object value) {
        return ToPython.newToPython(value);
    }

    /** The Java value of {@code o} (borrowed) as {@code type}. */
    public static <T> T toJava(long o, Class<T> type) {
        return ToJava.toJava(o, type);
    }

    /** The Java value of {@code o} (borrowed) as the generic {@code type}. */
    public static Object toJava(long o, Type type) {
        return ToJava.toJava(o, type);
    }

    /** An int, or any object with {@code __index__}, as a long; OverflowError when it does not fit. */
    public static long toLong(long o) {
        return ScalarValues.toLong(o);
    }
}
