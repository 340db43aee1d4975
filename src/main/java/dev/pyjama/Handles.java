package dev.pyjama;

import dev.pyjama.internal.Scope;
import dev.pyjama.internal.TypeChecks;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Makes typed handles: the one place that knows which Java handle class stands for which Python
 * type, how to check it, and how to build it.
 */
final class Handles {

    private Handles() {}

    @FunctionalInterface
    private interface Constructor {
        PyObject make(Scope scope, long address, int slot);
    }

    /** One handle class: its Python type's name, its subclass check, its exact type symbol. */
    private record Kind(String pythonName, LongPredicate check, String exactSymbol, Constructor constructor) {}

    private static final Map<Class<? extends PyObject>, Kind> KINDS = Map.ofEntries(
            Map.entry(PyObject.class, new Kind("object", o -> true, "PyBaseObject_Type", PyObject::new)),
            Map.entry(PyStr.class, new Kind("str", TypeChecks::isStr, "PyUnicode_Type", PyStr::new)),
            Map.entry(PyInt.class, new Kind("int", TypeChecks::isInt, "PyLong_Type", PyInt::new)),
            Map.entry(PyBool.class, new Kind("bool", TypeChecks::isBool, "PyBool_Type", PyBool::new)),
            Map.entry(PyFloat.class, new Kind("float", TypeChecks::isFloat, "PyFloat_Type", PyFloat::new)),
            Map.entry(PyBytes.class, new Kind("bytes", TypeChecks::isBytes, "PyBytes_Type", PyBytes::new)),
            Map.entry(PyByteArray.class, new Kind("bytearray", TypeChecks::isByteArray, "PyByteArray_Type",
                    PyByteArray::new)),
            Map.entry(PyList.class, new Kind("list", TypeChecks::isList, "PyList_Type", PyList::new)),
            Map.entry(PyTuple.class, new Kind("tuple", TypeChecks::isTuple, "PyTuple_Type", PyTuple::new)),
            Map.entry(PyDict.class, new Kind("dict", TypeChecks::isDict, "PyDict_Type", PyDict::new)),
            Map.entry(PySet.class, new Kind("set", TypeChecks::isSet, "PySet_Type", PySet::new)),
            Map.entry(PyFrozenSet.class, new Kind("frozenset", TypeChecks::isFrozenSet, "PyFrozenSet_Type",
                    PyFrozenSet::new)),
            Map.entry(PyModule.class, new Kind("module", TypeChecks::isModule, "PyModule_Type", PyModule::new)),
            Map.entry(PyType.class, new Kind("type", TypeChecks::isType, "PyType_Type", PyType::new)),
            Map.entry(PySlice.class, new Kind("slice", TypeChecks::isSlice, "PySlice_Type", PySlice::new)),
            Map.entry(PyIterator.class, new Kind("iterator", TypeChecks::isIterator, null, PyIterator::new)),
            Map.entry(PyCallable.class, new Kind("callable", TypeChecks::isCallable, null, PyCallable::new)));

    private static Kind kind(Class<? extends PyObject> type) {
        Kind k = KINDS.get(type);
        if (k == null) {
            throw new IllegalArgumentException("unknown handle class " + type.getName());
        }
        return k;
    }

    /** Wraps a new reference, owned from now on by {@code scope}, as a handle of class {@code type}. */
    static <T extends PyObject> T wrap(Scope scope, long newRef, Class<T> type) {
        Constructor c = type == PyObject.class ? PyObject::new : kind(type).constructor();
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
