package dev.pyjama.internal;

import dev.pyjama.internal.runtime.Scope;

import dev.pyjama.internal.convert.Conversions;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Scratch;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.util.Map;

/**
 * Calls with Java arguments, through vectorcall: the arguments go in a reused per-thread pointer
 * array (no tuple, no dict unless keywords are given), with a spare slot in front so the callee may
 * use {@code PY_VECTORCALL_ARGUMENTS_OFFSET} (bound methods then avoid a copy).
 */
public final class Calls {

    private Calls() {}

    /** {@code callable(*args, **kwargs)}: a new reference. {@code kwargs} may be null. */
    public static long call(long callable, Object[] args, Map<String, ?> kwargs) {
        return call(Scratch.current(), callable, args, kwargs);
    }

    /**
     * {@link #call(long, Object[], Map)} for a handle of {@code scope} (checked by the caller, so
     * the thread's scratch memory comes from the scope rather than a thread-local lookup).
     */
    public static long call(Scope scope, long callable, Object[] args, Map<String, ?> kwargs) {
        // No argument or one, the commonest calls, need no argument stack here: none for no
        // argument, and C keeps the array for one on its own stack (bench/RESULTS.md, round 5).
        if (kwargs == null && args.length <= 1) {
            if (args.length == 0) {
                return CApi.checkResult(CApi.callNoArgsOrZero(callable));
            }
            if (Abi.hasVectorcall()) {
                return callOneArg(callable, args[0]);
            }
        }
        return call(scope.scratch(), callable, args, kwargs);
    }

    /** {@code callable(arg)} through {@code PyObject_CallOneArg}: a new reference. */
    private static long callOneArg(long callable, Object arg) {
        long a = Conversions.newToPython(arg);
        try {
            return CApi.checkResult(CApi.callOneArgOrZero311(callable, a));
        } finally {
            CApi.decRef(a);
        }
    }

    private static long call(Scratch scratch, long callable, Object[] args, Map<String, ?> kwargs) {
        int n = args.length;
        int k = kwargs == null ? 0 : kwargs.size();
        long slots = 1L + n + k;
        long argv = scratch.push(slots);
        int filled = 0;
        long kwnames = 0;
        try {
            for (; filled < n; filled++) {
                CApi.ALL.set(JAVA_LONG_UNALIGNED, argv + 8L * (1 + filled), Conversions.newToPython(args[filled]));
            }
            if (k > 0) {
                kwnames = CApi.newTuple(k);
                int i = 0;
                for (Map.Entry<String, ?> e : kwargs.entrySet()) {
                    if (e.getKey() == null) {
                        throw new NullPointerException("keyword argument name is null");
                    }
                    long name = Names.get(e.getKey());
                    CApi.incRef(name);
                    CApi.tupleSetStolen(kwnames, i, name);
                    CApi.ALL.set(JAVA_LONG_UNALIGNED, argv + 8L * (1 + n + i), Conversions.newToPython(e.getValue()));
                    filled++;
                    i++;
                }
            }
            return CApi.newVectorcall(callable, argv + 8, n, kwnames);
        } finally {
            for (int i = 0; i < filled; i++) {
                CApi.decRef(CApi.ALL.get(JAVA_LONG_UNALIGNED, argv + 8L * (1 + i)));
            }
            if (kwnames != 0) {
                CApi.decRef(kwnames);
            }
            scratch.pop(slots);
        }
    }

    /** {@code self.name(*args)}: a new reference; {@code name} is an interned str. */
    public static long callMethod(long self, long name, Object[] args) {
        return callMethod(Scratch.current(), self, name, args);
    }

    /** {@link #callMethod(long, long, Object[])} for a handle of {@code scope} (checked by the caller). */
    public static long callMethod(Scope scope, long self, long name, Object[] args) {
        return callMethod(scope.scratch(), self, name, args);
    }

    private static long callMethod(Scratch scratch, long self, long name, Object[] args) {
        int n = args.length;
        long slots = 2L + n;
        long argv = scratch.push(slots);
        int filled = 0;
        try {
            CApi.ALL.set(JAVA_LONG_UNALIGNED, argv + 8, self);
            for (; filled < n; filled++) {
                CApi.ALL.set(JAVA_LONG_UNALIGNED, argv + 8L * (2 + filled), Conversions.newToPython(args[filled]));
            }
            return CApi.newVectorcallMethod(name, argv + 8, 1 + n);
        } finally {
            for (int i = 0; i < filled; i++) {
                CApi.decRef(CApi.ALL.get(JAVA_LONG_UNALIGNED, argv + 8L * (2 + i)));
            }
            scratch.pop(slots);
        }
    }

    /** {@code callable(*args, **kwargs)} for a Python iterable and mapping (0 for none): a new reference. */
    public static long callUnpacking(long callable, long args, long kwargs) {
        long tuple = args == 0 ? CApi.newTuple(0) : CApi.newTupleOf(args);
        try {
            if (kwargs == 0) {
                return CApi.newCall(callable, tuple, 0);
            }
            long dict = CApi.newDict();
            try {
                Containers.dictUpdate(dict, kwargs);
                return CApi.newCall(callable, tuple, dict);
            } finally {
                CApi.decRef(dict);
            }
        } finally {
            CApi.decRef(tuple);
        }
    }
}
