package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The life of one attach scope, from open to close, and how many Python references it released
 * when it closed (the temporaries it owned that were not closed before).
 */
@Name(Jfr.NAMESPACE + "Scope")
@Label("Python Scope")
@Category("pyjama")
@Description("An attach scope's lifetime and the references it released when it closed")
@StackTrace(false)
public final class ScopeEvent extends Event {

    @Label("Released")
    @Description("Python references the scope released (Py_DecRef) when it closed")
    int released;

    @Label("Outermost")
    @Description("The thread's outermost scope (its close released the GIL, unless borrowed)")
    boolean outermost;

    @Label("Callback")
    @Description("Opened for a Java function that Python called")
    boolean callback;

    /** A scope's event, begun now (at its open). */
    public static ScopeEvent start(boolean callback) {
        ScopeEvent e = new ScopeEvent();
        e.callback = callback;
        e.begin();
        return e;
    }

    /** Notes how many references the closing scope is about to release. */
    public void releasing(int released) {
        this.released = released;
    }

    /** Ends the scope's life and commits, if the recording wants this event. */
    public void finish(boolean outermost) {
        end();
        if (shouldCommit()) {
            this.outermost = outermost;
            commit();
        }
    }
}
