package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A call from Python into a Java function, its duration the Java body's (conversions included). */
@Name(Jfr.NAMESPACE + "Upcall")
@Label("Python Upcall")
@Category("pyjama")
@Description("Python calling a Java function; the duration includes converting arguments and result")
@StackTrace(false)
public final class UpcallEvent extends Event {

    @Label("Function")
    @Description("The name Python knows the Java function by")
    String function;

    @Label("Arguments")
    @Description("How many arguments Python passed (positional and keyword)")
    int arguments;

    @Label("Thrown")
    @Description("The class of the Java throwable that ended the call, raised in Python; null when it returned")
    String thrown;

    /** Ends the call and commits, if the recording wants this event. */
    public void finish(String function, int arguments, Throwable thrown) {
        end();
        if (shouldCommit()) {
            this.function = function;
            this.arguments = arguments;
            this.thrown = thrown == null ? null : thrown.getClass().getName();
            commit();
        }
    }
}
