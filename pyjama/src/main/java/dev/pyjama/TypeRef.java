package dev.pyjama;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A full generic Java type, for conversions whose target a {@code Class} cannot express:
 * {@code obj.toJava(new TypeRef<List<Map<String, Long>>>() {})}. Create it as an anonymous subclass;
 * the type argument is read from it.
 *
 * @param <T> the type to convert to
 */
public abstract class TypeRef<T> {

    private final Type type;

    /**
     * Captures the type argument of the anonymous subclass.
     *
     * @throws IllegalStateException if created without a concrete type argument
     */
    protected TypeRef() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType p) || p.getRawType() != TypeRef.class) {
            throw new IllegalStateException("create a TypeRef as an anonymous subclass with a type argument: "
                    + "new TypeRef<List<String>>() {}");
        }
        this.type = p.getActualTypeArguments()[0];
    }

    /**
     * The captured type.
     *
     * @return the Java type, such as {@code List<Map<String, Long>>}
     */
    public final Type type() {
        return type;
    }

    @Override
    public String toString() {
        return "TypeRef<" + type.getTypeName() + ">";
    }
}
