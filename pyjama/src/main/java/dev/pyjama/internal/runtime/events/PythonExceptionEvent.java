package dev.pyjama.internal.runtime.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A Python exception crossing into Java, as the Java exception it became (the stack trace is Java's). */
@Name(Jfr.NAMESPACE + "PythonException")
@Label("Python Exception")
@Category("pyjama")
@Description("A Python exception that reached Java and was thrown there")
public final class PythonExceptionEvent extends Event {

    @Label("Python Type")
    @Description("The Python exception's type (module-qualified unless built in)")
    String pythonType;

    @Label("Message")
    String message;

    @Label("Java Class")
    @Description("The Java exception class it was thrown as")
    String javaClass;

    /** Commits one, if the recording wants this event. */
    public static void emit(String pythonType, String message, Class<?> javaClass) {
        PythonExceptionEvent e = new PythonExceptionEvent();
        if (e.shouldCommit()) {
            e.pythonType = pythonType;
            e.message = message;
            e.javaClass = javaClass.getName();
            e.commit();
        }
    }
}
