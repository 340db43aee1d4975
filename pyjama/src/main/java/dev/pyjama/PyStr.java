package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.runtime.Scope;
import java.util.Objects;

/** A Python {@code str}, bound to its scope like every {@link PyObject}. Create one with {@link Python#str(String)}. */
public final class PyStr extends PyObject {

    PyStr(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * The Java string with the same text (lone surrogates kept, see the README's conversion rules).
     *
     * @return the text
     */
    public String value() {
        return Strings.toJava(ptr());
    }

    /**
     * {@code len(self)}: the number of code points (not UTF-16 units).
     *
     * @return the length in code points
     */
    public long length() {
        return CApi.size(ptr());
    }

    /**
     * {@code self.encode(encoding)}.
     *
     * @param encoding a Python codec name, such as {@code "utf-8"} or {@code "latin-1"}
     * @return the encoded bytes
     * @throws dev.pyjama.exceptions.PyUnicodeEncodeError if a character cannot be encoded
     * @throws dev.pyjama.exceptions.PyLookupError if there is no such codec
     */
    public PyBytes encode(String encoding) {
        return callMethod("encode", Objects.requireNonNull(encoding, "encoding")).as(PyBytes.class);
    }

    /**
     * {@code self.encode(encoding, errors)}.
     *
     * @param encoding a Python codec name
     * @param errors the error handler: {@code "strict"}, {@code "replace"}, {@code "surrogatepass"}...
     * @return the encoded bytes
     */
    public PyBytes encode(String encoding, String errors) {
        return callMethod("encode", Objects.requireNonNull(encoding, "encoding"), Objects.requireNonNull(errors, "errors"))
                .as(PyBytes.class);
    }
}
