package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;

/**
 * A Python class ({@code type} or a metaclass instance), bound to its scope like every
 * {@link PyObject}. Calling it ({@link #call(Object...)}) creates an instance.
 */
public final class PyType extends PyObject {

    PyType(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * The class's {@code __name__}, e.g. {@code "OrderedDict"}.
     *
     * @return the short name
     */
    public String name() {
        return getAttr("__name__").toJava(String.class);
    }

    /**
     * The class's {@code __module__} and {@code __qualname__}, e.g. {@code "collections.OrderedDict"};
     * built-ins have no module prefix ({@code "int"}).
     *
     * @return the qualified name
     */
    public String qualifiedName() {
        String module = getAttr("__module__").str();
        String qualname = getAttr("__qualname__").toJava(String.class);
        return module.equals("builtins") ? qualname : module + "." + qualname;
    }

    /**
     * {@code issubclass(self, other)}.
     *
     * @param other a class or a tuple of classes
     * @return whether this class is a subclass of {@code other}
     */
    public boolean isSubclass(PyObject other) {
        return dev.pyjama.internal.abi.CApi.isSubclass(ptr(), other.ptr());
    }
}
