package dev.pyjama;

import dev.pyjama.internal.ContextManagers;

/**
 * A context manager entered from Java ({@link PyObject#enterContext()}); {@link #close()} exits it
 * with no exception. Confined to the scope and thread of the manager.
 */
public final class PyContext implements AutoCloseable {

    private final PyObject manager;
    private final PyObject value;
    private boolean exited;

    PyContext(PyObject manager, PyObject value) {
        this.manager = manager;
        this.value = value;
    }

    /**
     * What {@code __enter__} returned (the {@code as} target of a {@code with} statement).
     *
     * @return the entered value
     */
    public PyObject value() {
        return value;
    }

    /** Calls {@code __exit__(None, None, None)}, once. */
    @Override
    public void close() {
        if (!exited) {
            exited = true;
            ContextManagers.exit(manager.ptr(), null);
        }
    }
}
