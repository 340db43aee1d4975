package dev.pyjama;

import dev.pyjama.internal.CApi;
import dev.pyjama.internal.Scope;
import dev.pyjama.internal.TypeChecks;

/**
 * Makes typed handles: the one place that knows which Java handle class stands for which Python
 * type, and how to build it.
 */
final class Handles {

    private Handles() {}

    /** Wraps a new reference, owned from now on by {@code scope}, as a handle of class {@code type}. */
    static <T extends PyObject> T wrap(Scope scope, long newRef, Class<T> type) {
        int slot = scope.own(newRef);
        PyObject h;
        if (type == PyObject.class) {
            h = new PyObject(scope, newRef, slot);
        } else if (type == PyModule.class) {
            h = new PyModule(scope, newRef, slot);
        } else if (type == PyType.class) {
            h = new PyType(scope, newRef, slot);
        } else {
            scope.release(slot);
            throw new IllegalArgumentException("unknown handle class " + type.getName());
        }
        return type.cast(h);
    }

    /** Whether the object at {@code address} may be viewed as {@code type}. */
    static boolean isKind(long address, Class<? extends PyObject> type) {
        if (type == PyObject.class) {
            return true;
        }
        if (type == PyModule.class) {
            return TypeChecks.isModule(address);
        }
        if (type == PyType.class) {
            return TypeChecks.isType(address);
        }
        return false;
    }

    /** Throws a ClassCastException naming both types unless {@link #isKind} holds. */
    static void checkKind(long address, Class<? extends PyObject> type) {
        if (!isKind(address, type)) {
            throw new ClassCastException("cannot view a Python '" + TypeChecks.typeName(address) + "' object as "
                    + type.getSimpleName() + " (Python '" + pythonTypeOf(type) + "')");
        }
    }

    private static String pythonTypeOf(Class<? extends PyObject> type) {
        if (type == PyModule.class) {
            return "module";
        }
        if (type == PyType.class) {
            return "type";
        }
        return "object";
    }

    static void incRef(long address) {
        CApi.incRef(address);
    }
}
