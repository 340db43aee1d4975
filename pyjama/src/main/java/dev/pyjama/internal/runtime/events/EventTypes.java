package dev.pyjama.internal.runtime.events;

import jdk.jfr.EventType;

/**
 * pyjama's event types, looked up on first use, which {@link Jfr} allows only while a recording
 * runs: {@code EventType.getEventType} registers the class with JFR's metadata, work that a JVM
 * with no recording must never do. Asking a type whether it is enabled is a field read, and spares
 * an event object (and its two clock reads) per operation when a recording leaves it off.
 */
final class EventTypes {

    static final EventType ATTACH = EventType.getEventType(AttachEvent.class);
    static final EventType DETACH = EventType.getEventType(DetachEvent.class);
    static final EventType SCOPE = EventType.getEventType(ScopeEvent.class);
    static final EventType UPCALL = EventType.getEventType(UpcallEvent.class);
    static final EventType RELEASE_DRAIN = EventType.getEventType(ReleaseDrainEvent.class);
    static final EventType INTERPRETER_START = EventType.getEventType(InterpreterStartEvent.class);
    static final EventType PYTHON_EXCEPTION = EventType.getEventType(PythonExceptionEvent.class);

    private EventTypes() {}
}
