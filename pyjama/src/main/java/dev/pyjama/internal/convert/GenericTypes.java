package dev.pyjama.internal.convert;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Small helpers over {@code java.lang.reflect.Type} for generic conversion targets: the raw class
 * of a type, its type arguments, and substitution of type variables (for generic records such as
 * {@code record Pair<A, B>(A first, B second)} converted to {@code Pair<String, Long>}).
 */
public final class GenericTypes {

    private GenericTypes() {}

    /** The class a value of {@code type} is an instance of ({@code List} for {@code List<String>}). */
    public static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType g) {
            return rawClass(g.getGenericComponentType()).arrayType();
        }
        if (type instanceof WildcardType w) {
            return rawClass(bound(w));
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        throw new IllegalArgumentException("unsupported type " + type.getTypeName());
    }

    /** The type a wildcard stands for when a value is produced: {@code ? super X} and {@code ? extends X} give X. */
    public static Type bound(WildcardType w) {
        Type[] lower = w.getLowerBounds();
        return lower.length > 0 ? lower[0] : w.getUpperBounds()[0];
    }

    /** The {@code i}-th type argument of {@code type}, or {@code Object.class} when it is raw. */
    public static Type argument(Type type, int i) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    /** {@code type} with every type variable in {@code bindings} replaced. */
    public static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (bindings.isEmpty() || type instanceof Class<?>) {
            return type;
        }
        if (type instanceof TypeVariable<?> v) {
            Type bound = bindings.get(v);
            return bound != null ? bound : v;
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = substitute(args[i], bindings);
            }
            return new Parameterized((Class<?>) p.getRawType(), args, p.getOwnerType());
        }
        if (type instanceof GenericArrayType g) {
            Type component = substitute(g.getGenericComponentType(), bindings);
            return component instanceof Class<?> c ? c.arrayType() : new GenericArray(component);
        }
        if (type instanceof WildcardType w) {
            return substitute(bound(w), bindings);
        }
        return type;
    }

    private record Parameterized(Class<?> raw, Type[] args, Type owner) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return args.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParameterizedType p && raw.equals(p.getRawType())
                    && Arrays.equals(args, p.getActualTypeArguments()) && Objects.equals(owner, p.getOwnerType());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(args) ^ raw.hashCode() ^ Objects.hashCode(owner);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(raw.getTypeName()).append('<');
            for (int i = 0; i < args.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(args[i].getTypeName());
            }
            return sb.append('>').toString();
        }
    }

    private record GenericArray(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public String toString() {
            return component.getTypeName() + "[]";
        }
    }
}
