package dev.pyjama;

import dev.pyjama.internal.runtime.Scope;

/**
 * A Python {@code slice}, for {@link PyObject#getItem(Object)} with slices:
 * {@code seq.getItem(py.slice(1L, null, 2L))} is {@code seq[1::2]}.
 */
public final class PySlice extends PyObject {

    PySlice(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * {@code self.indices(length)}: the concrete start, stop and step for a sequence of that length.
     *
     * @param length the sequence length
     * @return {@code {start, stop, step}}
     */
    public long[] indices(long length) {
        PyObject t = callMethod("indices", length);
        return new long[] {t.getItem(0).toJava(long.class), t.getItem(1).toJava(long.class), t.getItem(2).toJava(long.class)};
    }
}
