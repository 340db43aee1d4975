package dev.pyjama.internal.convert;

import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import dev.pyjama.internal.Calls;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Names;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Records to Python and back. Towards Python a record becomes an instance of a
 * {@code collections.namedtuple} class made once per record class (named after the record, its
 * {@code __module__} the Java package), with the component values converted; when the component
 * names are not valid namedtuple fields (a Python keyword such as {@code from}, a leading
 * underscore), a {@code types.SimpleNamespace} instead. Towards Java a record is built from a
 * dict with a key per component, or from any other object with an attribute per component (a
 * namedtuple, a dataclass, a SimpleNamespace); each value is converted to the component's generic
 * type, with the record's type arguments applied. Extra keys and attributes are ignored; a
 * missing one is a TypeError, except for an Optional component, which becomes empty.
 */
final class Records {

    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final ConcurrentHashMap<Class<?>, long[]> PYTHON_CLASSES = new ConcurrentHashMap<>();
    static final ClassValue<Info> INFO = new ClassValue<>() {
        @Override
        protected Info computeValue(Class<?> type) {
            return new Info(type);
        }
    };

    private Records() {}

    /** What reflection tells about a record class, made accessible once. */
    static final class Info {
        final Class<?> type;
        final String[] names;
        final Type[] types;
        final Method[] accessors;
        final Constructor<?> constructor;

        Info(Class<?> type) {
            this.type = type;
            RecordComponent[] components = type.getRecordComponents();
            names = new String[components.length];
            types = new Type[components.length];
            accessors = new Method[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                types[i] = components[i].getGenericType();
                accessors[i] = components[i].getAccessor();
                accessors[i].trySetAccessible();
                raw[i] = components[i].getType();
            }
            Constructor<?> canonical;
            try {
                canonical = type.getDeclaredConstructor(raw);
                canonical.trySetAccessible();
            } catch (NoSuchMethodException e) {
                throw new AssertionError("a record without its canonical constructor: " + type, e);
            }
            constructor = canonical;
        }

        Object[] values(Object record) {
            Object[] values = new Object[accessors.length];
            for (int i = 0; i < accessors.length; i++) {
                try {
                    values[i] = accessors[i].invoke(record);
                } catch (IllegalAccessException e) {
                    throw inaccessible(e);
                } catch (InvocationTargetException e) {
                    throw rethrow(e);
                }
            }
            return values;
        }

        Object create(Object[] args) {
            try {
                return constructor.newInstance(args);
            } catch (IllegalAccessException e) {
                throw inaccessible(e);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                PyValueError v = new PyValueError("the constructor of record " + type.getName()
                        + " rejected the values: " + cause);
                v.initCause(cause);
                throw v;
            } catch (InstantiationException e) {
                throw new IllegalArgumentException(e);
            }
        }

        private IllegalArgumentException inaccessible(IllegalAccessException e) {
            return new IllegalArgumentException("pyjama cannot access record " + type.getName() + ": make it public"
                    + " in an exported package, or open its package to module dev.pyjama", e);
        }
    }

    static RuntimeException rethrow(InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
            return r;
        }
        if (e.getCause() instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e.getCause());
    }

    static long newToPython(Record record, int depth, boolean hashable) {
        Info info = INFO.get(record.getClass());
        long[] cls = pythonClass(info);
        Object[] values = info.values(record);
        int n = values.length;
        if (cls[1] == 1) {
            long args = CApi.newTuple(n);
            try {
                for (int i = 0; i < n; i++) {
                    CApi.tupleSetStolen(args, i, ToPython.newToPython(values[i], depth + 1, hashable));
                }
                return CApi.newCall(cls[0], args, 0);
            } finally {
                CApi.decRef(args);
            }
        }
        long kwargs = CApi.newDict();
        long noArgs = CApi.newTuple(0);
        try {
            for (int i = 0; i < n; i++) {
                long v = ToPython.newToPython(values[i], depth + 1, hashable);
                try {
                    CApi.dictSetItem(kwargs, Names.get(info.names[i]), v);
                } finally {
                    CApi.decRef(v);
                }
            }
            return CApi.newCall(cls[0], noArgs, kwargs);
        } finally {
            CApi.decRef(noArgs);
            CApi.decRef(kwargs);
        }
    }

    /** {class address (kept), 1 when a namedtuple / 0 when SimpleNamespace}. */
    static long[] pythonClass(Info info) {
        long[] cached = PYTHON_CLASSES.get(info.type);
        if (cached != null) {
            return cached;
        }
        long[] made = makeClass(info);
        PYTHON_CLASSES.put(info.type, made);
        return made;
    }

    static long[] makeClass(Info info) {
        String simple = info.type.getSimpleName();
        String name = IDENTIFIER.matcher(simple).matches() ? simple : "Record";
        String module = info.type.getPackageName().isEmpty() ? "java" : info.type.getPackageName();
        long collections = CApi.newImportModule("collections");
        try {
            long namedtuple = CApi.newGetAttr(collections, Names.get("namedtuple"));
            try {
                long cls = Calls.call(namedtuple, new Object[] {name, List.of(info.names)},
                        Map.of("module", module));
                return new long[] {cls, 1};
            } catch (PyValueError e) {
                // Names namedtuple refuses (keywords, leading underscores): fall back to SimpleNamespace.
                long types = CApi.newImportModule("types");
                try {
                    return new long[] {CApi.newGetAttr(types, Names.get("SimpleNamespace")), 0};
                } finally {
                    CApi.decRef(types);
                }
            } finally {
                CApi.decRef(namedtuple);
            }
        } finally {
            CApi.decRef(collections);
        }
    }

    static Object toJava(long o, Class<?> c, Type full, int depth) {
        Info info = INFO.get(c);
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        if (full instanceof ParameterizedType p) {
            TypeVariable<?>[] params = c.getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < params.length && i < args.length; i++) {
                bindings.put(params[i], args[i]);
            }
        }
        boolean byKey = ToJava.isDict(o);
        int n = info.names.length;
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            String name = info.names[i];
            Type componentType = GenericTypes.substitute(info.types[i], bindings);
            long v = byKey ? Containers.newDictItemOrZero(o, Names.get(name))
                    : CApi.newGetAttrOrZero(o, Names.get(name));
            if (v == 0) {
                if (GenericTypes.rawClass(componentType) == Optional.class) {
                    args[i] = Optional.empty();
                    continue;
                }
                throw new PyTypeError("expected " + (byKey ? "a key \"" + name + "\"" : "an attribute " + name)
                        + " for component " + name + " of record " + c.getSimpleName() + ", got "
                        + (byKey ? "a dict without it" : ConversionErrors.typeName(o) + " without it"));
            }
            try {
                args[i] = ToJava.convert(v, componentType, depth + 1);
            } catch (RuntimeException e) {
                throw ConversionErrors.PathError.at(byKey ? "[\"" + name + "\"]" : "." + name, e);
            } finally {
                CApi.decRef(v);
            }
        }
        return info.create(args);
    }
}
