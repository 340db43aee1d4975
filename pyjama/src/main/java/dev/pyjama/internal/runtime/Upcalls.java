package dev.pyjama.internal.runtime;

import dev.pyjama.internal.abi.Capsules;
import dev.pyjama.internal.abi.Errors;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.ThreadStateLayout;
import dev.pyjama.internal.abi.Strings;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.PendingError;
import dev.pyjama.internal.runtime.events.Jfr;
import dev.pyjama.internal.runtime.events.UpcallEvent;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Java code that Python calls: Java functions as real Python callables, and Java exceptions
 * crossing into Python.
 *
 * <p>One upcall stub serves every Java function: each function is a {@code PyCFunction}
 * ({@code METH_FASTCALL | METH_KEYWORDS}) whose {@code self} is a capsule holding the id of its
 * Java body in {@link #FUNCTIONS}. The capsule's destructor (one shared stub too) removes the
 * body and frees the method definition when Python drops the last reference to the function, so
 * the Java lambda becomes collectable then. A free-threaded build releases it in another way (see
 * {@link #newFreeThreadedFunction}): the function looks and behaves the same.
 *
 * <p>Nothing thrown in Java unwinds through Python frames: {@link #dispatch} catches everything
 * and sets a Python exception instead. A Java exception becomes a {@code pyjama.JavaException}
 * carrying the Java throwable in a capsule; when that Python exception reaches Java again, the
 * original throwable is what Java sees. A {@code PyBaseException} thrown in Java becomes the
 * matching Python exception (the original object when it came from Python).
 */
public final class Upcalls {

    private static final String FUNCTION_CAPSULE = "pyjama.function";
    private static final String THROWABLE_CAPSULE = "pyjama.java_throwable";
    private static final String OBJECT_CAPSULE = "pyjama.java_object";

    /**
     * A Java body and the native memory of its method definition; on a free-threaded build also an
     * owned weak reference to the function (0 elsewhere). The name is for JFR's upcall events.
     */
    private record Function(String name, Object body, Arena arena, long weakref) {
        Function(String name, Object body, Arena arena) {
            this(name, body, arena, 0);
        }
    }

    /** A Java throwable travelling inside a Python exception, with how many Python frames it had already. */
    public record Carried(Throwable throwable, int pythonFramesBefore) {}

    private static final ConcurrentHashMap<Long, Function> FUNCTIONS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Carried> THROWABLES = new ConcurrentHashMap<>();
    /** Java objects held by Python (a strong reference each, dropped by its capsule's destructor). */
    private static final ConcurrentHashMap<Long, Object> OBJECTS = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /**
     * Free-threaded builds: modules that were the {@code self} of a Java function Python has since
     * freed, ready to be the next one's (owned references, kept for the interpreter's life).
     */
    private static final ConcurrentLinkedQueue<Long> SPARE_SELVES = new ConcurrentLinkedQueue<>();

    private Upcalls() {}

    /** What the public package does for a call: convert arguments, run the body, convert the result. */
    public interface Invoker {
        /**
         * Runs {@code body} for a call from Python; returns a new reference to the result.
         *
         * @param scope the scope opened for this call (its temporaries die when the call returns)
         * @param body the Java body given when the function was made
         * @param args the address of the argument array (borrowed references)
         * @param nargs the number of positional arguments
         * @param kwnames a tuple of keyword names for the arguments after the positional ones, or 0
         */
        long invoke(Scope scope, Object body, long args, long nargs, long kwnames) throws Throwable;

        /**
         * Sets the Python error that stands for {@code t}, which escaped a body; never throws except
         * {@link StackOverflowError}. The caller returns NULL to Python right after.
         */
        void raise(Throwable t);
    }

    /**
     * A body that takes Python's arguments as they come (the argument array of borrowed references),
     * for pyjama's own functions whose every call matters (the Java object bridge): no handle per
     * argument, no tuple. It returns a new reference, or throws.
     */
    public interface RawBody {
        /**
         * Runs the call; the caller holds the GIL.
         *
         * @param args the address of the argument array (borrowed references)
         * @param nargs the number of positional arguments
         * @param kwnames a tuple of keyword names for the arguments after the positional ones, or 0
         * @return a new reference to the result
         */
        long call(long args, long nargs, long kwnames) throws Throwable;
    }

    private static volatile Invoker invoker;

    /** Installed by the public package's function support. */
    public static void install(Invoker i) {
        invoker = i;
    }

    private static final class Stubs {
        static final MemorySegment NAME = Arena.global().allocateFrom(FUNCTION_CAPSULE);
        static final MemorySegment THROWABLE_NAME = Arena.global().allocateFrom(THROWABLE_CAPSULE);
        static final MemorySegment TOO_DEEP = Arena.global().allocateFrom(
                "maximum recursion depth exceeded in Java functions called from Python (the Java thread's stack is nearly full)");
        static final MemorySegment DISPATCH;
        static final MemorySegment DESTROY_FUNCTION;
        static final MemorySegment DESTROY_THROWABLE;
        static final MemorySegment DESTROY_USER;
        static final MemorySegment OBJECT_NAME = Arena.global().allocateFrom(OBJECT_CAPSULE);
        static final MemorySegment DESTROY_OBJECT;

        static {
            try {
                var lookup = MethodHandles.lookup();
                Linker linker = Linker.nativeLinker();
                DISPATCH = linker.upcallStub(
                        lookup.findStatic(Upcalls.class, "dispatch",
                                MethodType.methodType(long.class, long.class, long.class, long.class, long.class)),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Arena.global());
                DESTROY_FUNCTION = linker.upcallStub(
                        lookup.findStatic(Upcalls.class, "destroyFunction", MethodType.methodType(void.class, long.class)),
                        FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
                DESTROY_OBJECT = linker.upcallStub(
                        lookup.findStatic(Upcalls.class, "destroyObject", MethodType.methodType(void.class, long.class)),
                        FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
                DESTROY_THROWABLE = linker.upcallStub(
                        lookup.findStatic(Upcalls.class, "destroyThrowable", MethodType.methodType(void.class, long.class)),
                        FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
                DESTROY_USER = linker.upcallStub(
                        lookup.findStatic(Upcalls.class, "destroyUserCapsule", MethodType.methodType(void.class, long.class)),
                        FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /**
     * A new Python function object that runs {@code body} through the installed {@link Invoker}: a new
     * reference. {@code doc} may start with a text signature line ({@code name(a, b=1)\n--\n\n}).
     */
    public static long newFunction(String name, String doc, Object body) {
        Arena arena = Arena.ofShared();
        MemorySegment def = CApi.newMethodDef(arena, arena.allocateFrom(name), Stubs.DISPATCH,
                CApi.METH_FASTCALL | CApi.METH_KEYWORDS, doc == null ? MemorySegment.NULL : arena.allocateFrom(doc));
        if (Abi.freeThreaded()) {
            return newFreeThreadedFunction(name, def, arena, body);
        }
        // The function's self is a small module (so Python shows the function as plain
        // "<built-in function name>"); its address keys the Java body, and a capsule in its dict
        // removes the entry when the module dies with the function.
        long module;
        try {
            module = CApi.newModule(arena.allocateFrom("java"));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        try {
            FUNCTIONS.put(module, new Function(name, body, arena));
            long capsule = Capsules.newOrZero(module, Stubs.NAME, Stubs.DESTROY_FUNCTION);
            if (capsule == 0) {
                Function f = FUNCTIONS.remove(module);
                f.arena().close();
                throw PendingError.fetch();
            }
            try {
                // OWNERSHIP: from here the capsule's destructor owns the FUNCTIONS entry and the arena.
                CApi.setAttr(module, Names.get("__pyjama_function__"), capsule);
            } finally {
                CApi.decRef(capsule);
            }
            return CApi.newCFunction(def, module, Names.get("java"));
        } finally {
            CApi.decRef(module); // the function holds it now (or it dies here, running the destructor)
        }
    }

    /**
     * {@link #newFunction} on a free-threaded build. The {@code self} is a module there too (so the
     * function is a plain {@code <built-in function name>} whose {@code __qualname__} is its name),
     * but nothing may wait for that module to die: a free-threaded build counts a module's
     * references in the deferred way ({@code track_module} in Objects/moduleobject.c), which frees
     * it only at a garbage collection, and CPython 3.13 makes every such object immortal, at once
     * and from then on, as soon as a second thread state exists ({@code _PyThreadState_NewBound} in
     * Python/pystate.c calls {@code _PyGC_ImmortalizeDeferredObjects}; gh-117783).
     *
     * <p>So the capsule hangs on the function's {@code __module__} instead: a str {@code 'java'}
     * (of a subclass, {@code pyjama._JavaName}) that the function alone holds and drops as it is
     * freed ({@code meth_dealloc} in Objects/methodobject.c; a built-in function has no
     * {@code tp_clear}, so a collection never drops it earlier). The destructor checks a weak
     * reference to the function before it releases anything: had someone replaced
     * {@code __module__}, the function would still be alive, and its body stays (a leak, not a
     * crash). The module then goes back to {@link #SPARE_SELVES} for the next function, so
     * immortal modules do not pile up.
     */
    private static long newFreeThreadedFunction(String functionName, MemorySegment def, Arena arena, Object body) {
        long module;
        long name;
        try {
            Long spare = SPARE_SELVES.poll();
            module = spare != null ? spare : CApi.newModule(arena.allocateFrom("java"));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        try {
            long cls = SupportModule.newAttr("_JavaName");
            try {
                name = CApi.checkResult(CApi.newCallOneArgOrZero(cls, Names.get("java")));
            } finally {
                CApi.decRef(cls);
            }
        } catch (RuntimeException e) {
            SPARE_SELVES.add(module);
            arena.close();
            throw e;
        }
        long function = 0;
        long weakref = 0;
        boolean hung = false;
        try {
            function = CApi.newCFunction(def, module, name);
            weakref = CApi.newWeakRef(function);
            FUNCTIONS.put(module, new Function(functionName, body, arena, weakref));
            long capsule = Capsules.newOrZero(module, Stubs.NAME, Stubs.DESTROY_FUNCTION);
            if (capsule == 0) {
                throw PendingError.fetch();
            }
            try {
                CApi.setAttr(name, Names.get("__pyjama_function__"), capsule);
                // OWNERSHIP: from here the capsule's destructor owns the FUNCTIONS entry, the arena,
                // the weak reference and the module's return to the spares.
                hung = true;
            } finally {
                CApi.decRef(capsule); // not hung: it dies here, and its destructor sees the function alive
            }
            return function;
        } catch (RuntimeException e) {
            if (function != 0) {
                CApi.decRef(function);
            }
            if (!hung) {
                FUNCTIONS.remove(module);
                if (weakref != 0) {
                    CApi.decRef(weakref);
                }
                SPARE_SELVES.add(module); // the function, if made, is gone
                arena.close();
            }
            throw e;
        } finally {
            CApi.decRef(name); // the function holds it now (or it dies here, running the destructor)
        }
    }

    /** How many Java function bodies Python still holds (for tests of their release). */
    public static int liveFunctions() {
        return FUNCTIONS.size();
    }

    /** A body that wraps the user's object (the public layer's function record). */
    public interface Wrapper {
        /** The user's lambda or object inside. */
        Object target();
    }

    /** Whether the body (or the user's object inside it) is still held by a Python function (for tests). */
    public static boolean isLive(Object body) {
        for (Function f : FUNCTIONS.values()) {
            if (f.body() == body || (f.body() instanceof Wrapper w && w.target() == body)) {
                return true;
            }
        }
        return false;
    }

    // --- the upcalls; each catches everything ---

    private static long dispatch(long self, long args, long nargs, long kwnames) {
        Scope scope = null;
        ThreadAttachment thread = null;
        try {
            thread = ThreadAttachment.current();
            if (thread.callbackDepthLimit < 0) {
                thread.callbackDepthLimit = ThreadStateLayout.callbackDepthLimit();
            }
            if (thread.callbackDepth >= thread.callbackDepthLimit) {
                // Another level could overflow the Java stack, which would end the JVM.
                Errors.setString(Errors.recursionErrorType(), Stubs.TOO_DEEP);
                thread = null;
                return 0;
            }
            thread.callbackDepth++;
            Function f = FUNCTIONS.get(self);
            if (f == null) {
                if (!CApi.errorPending()) {
                    Errors.setString(Errors.runtimeErrorType(), Arena.global().allocateFrom("this Java function has been released"));
                }
                return 0;
            }
            scope = Scope.openInCallback();
            if (Jfr.upcall()) {
                return callRecorded(f, scope, args, nargs, kwnames);
            }
            return callBody(f, scope, args, nargs, kwnames);
        } catch (StackOverflowError e) {
            tooDeep();
            return 0;
        } catch (Throwable t) {
            try {
                Invoker i = invoker;
                if (i != null) {
                    i.raise(t);
                } else if (!CApi.errorPending()) {
                    Errors.setString(Errors.runtimeErrorType(), Arena.global().allocateFrom("Java exception: " + t));
                }
            } catch (StackOverflowError e) {
                tooDeep();
            }
            return 0;
        } finally {
            if (thread != null) {
                thread.callbackDepth--;
            }
            if (scope != null) {
                try {
                    scope.close();
                } catch (Throwable t) {
                    // Releasing temporaries cannot fail in a way Python could act on.
                }
            }
        }
    }

    /** The call of {@link #dispatch} while a JFR recording runs: the same, timed as an upcall event. */
    private static long callRecorded(Function f, Scope scope, long args, long nargs, long kwnames) throws Throwable {
        UpcallEvent event = new UpcallEvent();
        Throwable thrown = null;
        event.begin();
        try {
            return callBody(f, scope, args, nargs, kwnames);
        } catch (Throwable t) {
            thrown = t;
            throw t;
        } finally {
            int keywords = kwnames == 0 ? 0 : (int) CApi.tupleSize(kwnames);
            event.finish(f.name(), (int) nargs + keywords, thrown);
        }
    }

    /** Runs {@code f}'s Java body: a raw body reads the C arguments itself, any other is converted. */
    private static long callBody(Function f, Scope scope, long args, long nargs, long kwnames) throws Throwable {
        if (f.body() instanceof RawBody raw) {
            return raw.call(args, nargs, kwnames);
        }
        return invoker.invoke(scope, f.body(), args, nargs, kwnames);
    }

    /** Sets RecursionError with as little stack as possible (a pre-made message, one downcall). */
    private static void tooDeep() {
        try {
            Errors.setString(Errors.recursionErrorType(), Stubs.TOO_DEEP);
        } catch (Throwable t) {
            // Nothing more can be done without stack; Python sees NULL without an error (SystemError).
        }
    }

    private static void destroyFunction(long capsule) {
        try {
            long id = Capsules.pointer(capsule, Stubs.NAME);
            Function f = FUNCTIONS.get(id);
            if (f == null) {
                return;
            }
            if (f.weakref() != 0) {
                // Free-threaded: the capsule hung on the function's __module__. Release only once the
                // function is gone; if it lives (its __module__ was replaced), keep everything.
                if (!CApi.isNone(CApi.borrowedWeakRefTarget(f.weakref()))) {
                    return;
                }
                FUNCTIONS.remove(id);
                CApi.decRef(f.weakref());
                f.arena().close();
                SPARE_SELVES.add(id); // no function has this module as self any more
                return;
            }
            FUNCTIONS.remove(id);
            f.arena().close();
        } catch (Throwable t) {
            // A destructor has no way to report; the entry stays and is only a small leak.
        }
    }

    private static void destroyThrowable(long capsule) {
        try {
            long id = Capsules.pointer(capsule, Stubs.THROWABLE_NAME);
            THROWABLES.remove(id);
        } catch (Throwable t) {
            // As above.
        }
    }

    private static void destroyObject(long capsule) {
        try {
            OBJECTS.remove(Capsules.pointer(capsule, Stubs.OBJECT_NAME));
        } catch (Throwable t) {
            // A destructor has no way to report; the entry stays and is only a small leak.
        }
    }

    // --- Java objects held by Python ---

    /**
     * A new capsule holding a strong reference to {@code value} until Python frees the capsule: a
     * new reference, or 0 with a Python error set. Python code cannot make one (nor read what it
     * holds), so whoever has the capsule was given it.
     */
    public static long newObjectCapsuleOrZero(Object value) {
        long id = IDS.incrementAndGet();
        OBJECTS.put(id, value);
        long capsule = Capsules.newOrZero(id, Stubs.OBJECT_NAME, Stubs.DESTROY_OBJECT);
        if (capsule == 0) {
            OBJECTS.remove(id);
        }
        return capsule;
    }

    /** The Java object a capsule made by {@link #newObjectCapsuleOrZero} holds, or null for any other object. */
    public static Object objectHeldBy(long capsule) {
        // One call on the path every Java method call from Python takes: GetPointer checks the
        // name too, and only a wrong object (not a capsule of ours) costs the error's clearing.
        long id = Capsules.pointer(capsule, Stubs.OBJECT_NAME);
        if (id == 0) {
            if (CApi.errorPending()) {
                Errors.clear();
            }
            return null;
        }
        return OBJECTS.get(id);
    }

    /** How many Java objects Python holds (for tests of their release). */
    public static int liveObjects() {
        return OBJECTS.size();
    }

    // --- capsules made for users (PyCapsules.create): a C pointer and a Java destructor ---

    /** A user capsule's pointer and the Java code that runs when Python frees it. */
    private record UserCapsule(MemorySegment pointer, java.util.function.Consumer<MemorySegment> destructor) {}

    /** Live user capsules by the capsule object's address (unique while it lives). */
    private static final ConcurrentHashMap<Long, UserCapsule> USER_CAPSULES = new ConcurrentHashMap<>();

    /** Capsule names as C strings; a capsule's name must live as long as the capsule, so these are never freed. */
    private static final ConcurrentHashMap<String, MemorySegment> CAPSULE_NAMES = new ConcurrentHashMap<>();

    /** The NUL-terminated C string for a capsule name, made once per distinct name. */
    public static MemorySegment capsuleName(String name) {
        return CAPSULE_NAMES.computeIfAbsent(name, n -> Arena.global().allocateFrom(n));
    }

    /**
     * A new capsule named {@code name} holding {@code pointer}; when Python frees it, {@code destructor}
     * runs once with the pointer, on the thread that dropped the last reference, with the GIL held
     * (attached). Returns a new reference; throws the pending Python error when the capsule cannot be made.
     */
    public static long newUserCapsule(MemorySegment pointer, String name,
            java.util.function.Consumer<MemorySegment> destructor) {
        long capsule = Capsules.newOrZero(pointer.address(), capsuleName(name),
                destructor == null ? MemorySegment.NULL : Stubs.DESTROY_USER);
        if (capsule == 0) {
            throw PendingError.fetch();
        }
        if (destructor != null) {
            // No other thread can see the capsule before this returns, so the entry is in place
            // before the destructor can run.
            USER_CAPSULES.put(capsule, new UserCapsule(pointer, destructor));
        }
        return capsule;
    }

    private static void destroyUserCapsule(long capsule) {
        UserCapsule c = USER_CAPSULES.remove(capsule);
        if (c == null) {
            return;
        }
        try {
            c.destructor().accept(c.pointer());
        } catch (Throwable t) {
            // A capsule destructor has no caller to report to: the thread's uncaught-exception handler
            // does (it prints the stack trace by default); never unwind into Python.
            try {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, t);
            } catch (Throwable ignored) {
                // nothing more can be done here
            }
        }
    }

    // --- Java throwables carried inside Python objects ---

    /**
     * A new capsule holding {@code carried} until Python frees it (its destructor drops the entry):
     * a new reference, or 0 with a Python error set.
     */
    public static long newThrowableCapsuleOrZero(Carried carried) {
        long id = IDS.incrementAndGet();
        THROWABLES.put(id, carried);
        long capsule = Capsules.newOrZero(id, Stubs.THROWABLE_NAME, Stubs.DESTROY_THROWABLE);
        if (capsule == 0) {
            THROWABLES.remove(id);
        }
        return capsule;
    }

    /** What a capsule made by {@link #newThrowableCapsuleOrZero} carries (borrowed), or null for any other object. */
    public static Carried carriedBy(long capsule) {
        if (!Capsules.isValid(capsule, Stubs.THROWABLE_NAME)) {
            return null;
        }
        return THROWABLES.get(Capsules.pointer(capsule, Stubs.THROWABLE_NAME));
    }
}
