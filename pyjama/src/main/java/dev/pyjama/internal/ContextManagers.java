package dev.pyjama.internal;

import dev.pyjama.internal.abi.Errors;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Names;


/**
 * The {@code with} statement's protocol for Java callers: {@code __enter__}, then {@code __exit__}
 * with the exception (if any) of the body, honouring suppression. The caller holds the GIL.
 */
public final class ContextManagers {

    private ContextManagers() {}

    /** {@code type(mgr).__enter__(mgr)}: a new reference. */
    public static long newEnter(long mgr) {
        long enter = CApi.newGetAttr(CApi.borrowedType(mgr), Names.get("__enter__"));
        try {
            return Calls.call(enter, new Object[] {ApiAccess.handles().bindNew(CApi.newRef(mgr))}, null);
        } finally {
            CApi.decRef(enter);
        }
    }

    /**
     * {@code type(mgr).__exit__(mgr, type, value, traceback)} for the Java throwable {@code t} (null
     * when the body completed).
     *
     * @return true when {@code __exit__} suppressed the exception (returned a true value)
     */
    public static boolean exit(long mgr, Throwable t) {
        long exit = CApi.newGetAttr(CApi.borrowedType(mgr), Names.get("__exit__"));
        try {
            long result;
            if (t == null) {
                result = Calls.call(exit, new Object[] {handle(mgr), null, null, null}, null);
            } else {
                long value = JavaExceptions.newExceptionFor(t);
                try {
                    long tb = Errors.newTracebackOrZero(value);
                    long type = CApi.borrowedType(value);
                    try {
                        result = Calls.call(exit,
                                new Object[] {handle(mgr), handle(type), handle(value), tb == 0 ? null : handle(tb)}, null);
                    } finally {
                        if (tb != 0) {
                            CApi.decRef(tb);
                        }
                    }
                } finally {
                    CApi.decRef(value);
                }
            }
            try {
                return t != null && CApi.isTrue(result);
            } finally {
                CApi.decRef(result);
            }
        } finally {
            CApi.decRef(exit);
        }
    }

    private static Object handle(long borrowed) {
        return ApiAccess.handles().bindNew(CApi.newRef(borrowed));
    }

}
