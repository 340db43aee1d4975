package dev.pyjama.internal.facade;

import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The Java side of one Python type hint, as the facade generator writes it.
 *
 * @param decl the type as declared in a signature ({@code long}, {@code List<Long>}, {@code Account})
 * @param boxed the type as a generic argument ({@code Long} for {@code long})
 * @param byConversion whether pyjama's own Python-to-Java conversion ({@code toJava(Class)} or a
 *     {@code TypeRef}) produces it, so a result needs no handle and no generated code
 * @param fromHandle for the other types: the expression that converts a {@code PyObject} handle
 *     expression to this type
 * @param toPython the expression that makes a Java value of this type into what pyjama passes to
 *     Python as intended; {@code null} when pyjama's own conversion already does (the fast path)
 * @param why when the type is {@code PyObject} or {@code Object} for want of a better one: why, for a
 *     comment and a warning; else null
 * @param typeVars the Python type variables it mentions
 */
record JType(String decl, String boxed, boolean byConversion, UnaryOperator<String> fromHandle,
             UnaryOperator<String> toPython, String why, Set<String> typeVars) {

    static JType direct(String decl, String boxed) {
        return new JType(decl, boxed, true, null, null, null, Set.of());
    }

    /** Whether a class literal ({@code decl.class}) names it completely (no type arguments). */
    boolean isPlainClass() {
        return !decl.contains("<") && !typeVars.contains(decl);
    }

    /** The expression converting a handle expression {@code h} to this type. */
    String convertHandle(String h) {
        if (fromHandle != null) {
            return fromHandle.apply(h);
        }
        if (decl.equals("PyObject")) {
            return h;
        }
        return isPlainClass() ? h + ".toJava(" + decl + ".class)" : h + ".toJava(new TypeRef<" + boxed + ">() {})";
    }

    /** The expression handing Java expression {@code v} of this type to Python. */
    String pass(String v) {
        return toPython == null ? v : toPython.apply(v);
    }
}
