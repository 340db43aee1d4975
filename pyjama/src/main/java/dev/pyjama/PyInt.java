package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;
import java.math.BigInteger;

/**
 * A Python {@code int} (arbitrary precision; {@code bool} is a subclass), bound to its scope like
 * every {@link PyObject}. Create one with {@link Python#integer(long)}.
 */
public final class PyInt extends PyObject {

    PyInt(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * The value as a long.
     *
     * @return the value
     * @throws dev.pyjama.exceptions.PyOverflowError if it does not fit in 64 bits
     */
    public long toLong() {
        return toJava(long.class);
    }

    /**
     * The value as an int.
     *
     * @return the value
     * @throws dev.pyjama.exceptions.PyOverflowError if it does not fit in 32 bits
     */
    public int toInt() {
        return toJava(int.class);
    }

    /**
     * The exact value.
     *
     * @return the value, of any size
     */
    public BigInteger toBigInteger() {
        return toJava(BigInteger.class);
    }
}
