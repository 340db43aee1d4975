package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.runtime.Scope;

/** A Python {@code bytearray} (mutable bytes). Create one with {@link Python#byteArray(byte[])}. */
public final class PyByteArray extends PyObject {

    PyByteArray(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * A copy of the current contents.
     *
     * @return a new array
     */
    public byte[] toByteArray() {
        return toJava(byte[].class);
    }

    /**
     * {@code len(self)}.
     *
     * @return the number of bytes
     */
    public long length() {
        return CApi.size(ptr());
    }

    /**
     * {@code self.extend(data)}.
     *
     * @param data the bytes to append
     */
    public void extend(byte[] data) {
        callMethod("extend", (Object) data);
    }
}
