package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.runtime.Scope;
import java.util.Objects;

/** A Python {@code bytes} (immutable). Create one with {@link Python#bytes(byte[])}. */
public final class PyBytes extends PyObject {

    PyBytes(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * A copy of the bytes.
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
     * {@code self.decode(encoding)}.
     *
     * @param encoding a Python codec name, such as {@code "utf-8"}
     * @return the decoded text
     * @throws dev.pyjama.exceptions.PyUnicodeDecodeError if the bytes are not valid in that encoding
     */
    public PyStr decode(String encoding) {
        return callMethod("decode", Objects.requireNonNull(encoding, "encoding")).as(PyStr.class);
    }
}
