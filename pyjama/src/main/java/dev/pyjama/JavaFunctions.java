package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.runtime.Scope;
import dev.pyjama.internal.JavaExceptions;
import dev.pyjama.internal.runtime.Upcalls;
import java.lang.foreign.MemorySegment;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs Java function bodies for calls from Python: wraps the arguments as handles of the call's
 * scope, runs the body, converts its result.
 */
final class JavaFunctions {

    static {
        Upcalls.install(new Upcalls.Invoker() {
            @Override
            public long invoke(Scope scope, Object body, long args, long nargs, long kwnames) throws Throwable {
                return JavaFunctions.invoke(scope, body, args, nargs, kwnames);
            }

            @Override
            public void raise(Throwable t) {
                JavaExceptions.raise(t);
            }
        });
    }

    private JavaFunctions() {}

    /** Installs the invoker (this class's initialiser does): before Python starts, as pyjama's own functions need it too. */
    static void install() {
        // the static initialiser above has run by now
    }

    /** A body with its name and fixed arity (-1: a {@link JavaCallable} taking anything). */
    record Body(String name, int arity, Object fn) implements Upcalls.Wrapper {
        @Override
        public Object target() {
            return fn;
        }
    }

    /** A new Python function running {@code body}: a new reference. */
    static long create(String name, String doc, Body body) {
        return Upcalls.newFunction(name, doc, body);
    }

    @SuppressWarnings("unchecked")
    private static long invoke(Scope scope, Object b, long args, long nargs, long kwnames) throws Throwable {
        Body body = (Body) b;
        Python py = Python.borrowing(scope);
        MemorySegment argv = MemorySegment.ofAddress(args).reinterpret(8 * (nargs + kwCount(kwnames)));
        Object result;
        if (body.arity() < 0) {
            long tuple = CApi.newTuple(nargs);
            PyTuple positional = Handles.wrap(scope, tuple, PyTuple.class);
            for (long i = 0; i < nargs; i++) {
                long item = argv.getAtIndex(JAVA_LONG, i);
                CApi.incRef(item);
                CApi.tupleSetStolen(tuple, i, item);
            }
            PyDict keywords = Handles.wrap(scope, CApi.newDict(), PyDict.class);
            for (long i = 0, n = kwCount(kwnames); i < n; i++) {
                CApi.dictSetItem(keywords.ptr(), CApi.borrowedTupleItem(kwnames, i), argv.getAtIndex(JAVA_LONG, nargs + i));
            }
            result = ((JavaCallable) body.fn()).call(py, positional, keywords);
        } else {
            if (kwnames != 0 && kwCount(kwnames) > 0) {
                throw new PyTypeError(body.name() + "() takes no keyword arguments");
            }
            if (nargs != body.arity()) {
                throw new PyTypeError(body.name() + "() takes exactly " + body.arity() + " argument"
                        + (body.arity() == 1 ? "" : "s") + " (" + nargs + " given)");
            }
            PyObject[] a = new PyObject[(int) nargs];
            for (int i = 0; i < nargs; i++) {
                long item = argv.getAtIndex(JAVA_LONG, i);
                CApi.incRef(item);
                a[i] = Handles.wrap(scope, item, PyObject.class);
            }
            result = switch (body.arity()) {
                case 0 -> ((Supplier<?>) body.fn()).get();
                case 1 -> ((Function<PyObject, ?>) body.fn()).apply(a[0]);
                default -> ((BiFunction<PyObject, PyObject, ?>) body.fn()).apply(a[0], a[1]);
            };
        }
        return Conversions.newToPython(result);
    }

    private static long kwCount(long kwnames) {
        return kwnames == 0 ? 0 : CApi.tupleSize(kwnames);
    }
}
