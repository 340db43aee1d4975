package dev.pyjama;

import dev.pyjama.internal.abi.TypeChecks;
import dev.pyjama.internal.runtime.Scope;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * Makes typed handles: the one place that knows which Java handle class stands for which Python
 * type, how to check it, and how to build it.
 */
final class Handles {

    private Handles() {}

    /**
     * What serialising a handle or a {@code Py} throws (a Spark closure that captured one, say):
     * the object means nothing outside this process's CPython, so the message says what to send.
     */
    static java.io.NotSerializableException notSerializable(String what) {
        return new java.io.NotSerializableException(what + " cannot be serialised: it is a reference into this"
                + " JVM's CPython, meaningless in another process. Send Java values (numbers, strings, arrays)"
                + " instead, and get the Python object where it is used: attach in the task, and look it up"
                + " once per JVM with a static PyOnceCell (README: \"pyjama in Spark\")");
    }

    @FunctionalInterface
    private interface Constructor {
        PyObject make(Scope scope, long address, int slot);
    }

    /** One handle class: its Python type's name, its subclass check, its exact type symbol. */
    private record Kind(String pythonName, LongPredicate check, String exactSymbol, Constructor constructor) {}

    /**
     * Kinds are made on first use: each {@code PyStr::new} links (and loads its class) when its
     * line runs, so the handle classes a program never sees are never loaded (start-up time).
     */
    private static final ConcurrentHashMap<Class<? extends PyObject>, Kind> KINDS = new ConcurrentHashMap<>();

    private static Kind kind(Class<? extends PyObject> type) {
        Kind k = KINDS.get(type);
        if (k == null) {
            k = KINDS.computeIfAbsent(type, Handles::newKind);
        }
        return k;
    }

    private static Kind newKind(Class<? extends PyObject> type) {
        if (type == PyObject.class) {
            return new Kind("object", o -> true, "PyBaseObject_Type", PyObject::new);
        } else if (type == PyStr.class) {
            return new Kind("str", TypeChecks::isStr, "PyUnicode_Type", PyStr::new);
        } else if (type == PyInt.class) {
            return new Kind("int", TypeChecks::isInt, "PyLong_Type", PyInt::new);
        } else if (type == PyBool.class) {
            return new Kind("bool", TypeChecks::isBool, "PyBool_Type", PyBool::new);
        } else if (type == PyFloat.class) {
            return new Kind("float", TypeChecks::isFloat, "PyFloat_Type", PyFloat::new);
        } else if (type == PyBytes.class) {
            return new Kind("bytes", TypeChecks::isBytes, "PyBytes_Type", PyBytes::new);
        } else if (type == PyByteArray.class) {
            return new Kind("bytearray", TypeChecks::isByteArray, "PyByteArray_Type", PyByteArray::new);
        } else if (type == PyList.class) {
            return new Kind("list", TypeChecks::isList, "PyList_Type", PyList::new);
        } else if (type == PyTuple.class) {
            return new Kind("tuple", TypeChecks::isTuple, "PyTuple_Type", PyTuple::new);
        } else if (type == PyDict.class) {
            return new Kind("dict", TypeChecks::isDict, "PyDict_Type", PyDict::new);
        } else if (type == PySet.class) {
            return new Kind("set", TypeChecks::isSet, "PySet_Type", PySet::new);
        } else if (type == PyFrozenSet.class) {
            return new Kind("frozenset", TypeChecks::isFrozenSet, "PyFrozenSet_Type", PyFrozenSet::new);
        } else if (type == PyModule.class) {
            return new Kind("module", TypeChecks::isModule, "PyModule_Type", PyModule::new);
        } else if (type == PyType.class) {
            return new Kind("type", TypeChecks::isType, "PyType_Type", PyType::new);
        } else if (type == PySlice.class) {
            return new Kind("slice", TypeChecks::isSlice, "PySlice_Type", PySlice::new);
        } else if (type == PyIterator.class) {
            return new Kind("iterator", TypeChecks::isIterator, null, PyIterator::new);
        } else if (type == PyCallable.class) {
            return new Kind("callable", TypeChecks::isCallable, null, PyCallable::new);
        }
        throw new IllegalArgumentException("unknown handle class " + type.getName());
    }

    /** Wraps a new reference, owned from now on by {@code scope}, as a handle of class {@code type}. */
    static <T extends PyObject> T wrap(Scope scope, long newRef, Class<T> type) {
        if (type == PyObject.class) { // the common case, without a constructor reference (a lambda class)
            return type.cast(new PyObject(scope, newRef, scope.own(newRef)));
        }
        Constructor c = kind(type).constructor();
        int slot = scope.own(newRef);
        return type.cast(c.make(scope, newRef, slot));
    }

    /** Whether the object at {@code address} is an instance of {@code type}'s Python type (subclasses too). */
    static boolean isKind(long address, Class<? extends PyObject> type) {
        return kind(type).check().test(address);
    }

    /** Whether the object's type is exactly {@code type}'s Python type (no subclass). */
    static boolean isExactKind(long address, Class<? extends PyObject> type) {
        Kind k = kind(type);
        if (k.exactSymbol() == null) {
            return k.check().test(address);
        }
        return TypeChecks.isExactly(address, k.exactSymbol());
    }

    /** Throws a ClassCastException naming both types unless {@link #isKind} holds. */
    static void checkKind(long address, Class<? extends PyObject> type) {
        if (!isKind(address, type)) {
            throw new ClassCastException("cannot view a Python '" + TypeChecks.typeName(address) + "' object as "
                    + type.getSimpleName() + " (Python '" + kind(type).pythonName() + "')");
        }
    }
}
