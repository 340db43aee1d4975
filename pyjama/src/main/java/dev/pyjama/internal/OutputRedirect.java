package dev.pyjama.internal;

import dev.pyjama.internal.runtime.SupportModule;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Names;

/**
 * Points Python's {@code sys.stdout} / {@code sys.stderr} at Java's {@code System.out} /
 * {@code System.err} and back. Needed wherever Java's output does not go to file descriptor 1
 * (jshell's remote agent, IDE consoles, a redirected {@code System.out}).
 */
public final class OutputRedirect {

    private OutputRedirect() {}

    /** Names of the saved original streams in the {@code pyjama} module. */
    private static final String[] SAVED = {"_saved_stdout", "_saved_stderr"};
    private static final String[] STREAMS = {"stdout", "stderr"};

    /**
     * Installs (on = true) or removes the redirection. {@code writers} are Python callables
     * (write, flush) for stdout then stderr, as new references, used only when turning it on.
     */
    public static void apply(boolean on, long[] writers) {
        long sys = CApi.newImportModule("sys");
        try {
            long support = SupportModule.get();
            for (int i = 0; i < 2; i++) {
                long current = CApi.newGetAttr(sys, Names.get(STREAMS[i]));
                try {
                    long saved = CApi.newGetAttrOrZero(support, Names.get(SAVED[i]));
                    if (on) {
                        if (saved == 0) {
                            CApi.setAttr(support, Names.get(SAVED[i]), current);
                        } else {
                            CApi.decRef(saved);
                        }
                        long cls = SupportModule.newAttr("_JavaStream");
                        try {
                            long stream = Calls.call(cls, new Object[] {
                                    ApiAccess.handles().bindNew(writers[2 * i]),
                                    ApiAccess.handles().bindNew(writers[2 * i + 1]),
                                    "<java System." + (i == 0 ? "out" : "err") + ">"}, null);
                            try {
                                CApi.setAttr(sys, Names.get(STREAMS[i]), stream);
                            } finally {
                                CApi.decRef(stream);
                            }
                        } finally {
                            CApi.decRef(cls);
                        }
                    } else if (saved != 0) {
                        CApi.setAttr(sys, Names.get(STREAMS[i]), saved);
                        CApi.delAttr(support, Names.get(SAVED[i]));
                        CApi.decRef(saved);
                    }
                } finally {
                    CApi.decRef(current);
                }
            }
        } finally {
            CApi.decRef(sys);
        }
    }
}
