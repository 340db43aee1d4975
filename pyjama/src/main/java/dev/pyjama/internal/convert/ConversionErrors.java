package dev.pyjama.internal.convert;

import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.TypeChecks;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Strings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Messages and the element path of conversion errors ({@code [3]["x"]: expected int, got str}). The caller holds the GIL. */
final class ConversionErrors {

    private ConversionErrors() {}

    // --- messages and paths ---

    /** The type name of {@code o}, for messages. */
    static String typeName(long o) {
        return TypeChecks.typeName(o);
    }

    /** A dict key as a path shows it: {@code "x"} for a str, else its repr (shortened). */
    static String keyText(long key) {
        if (CApi.isStr(key)) {
            String s = Strings.toJava(key);
            if (s.length() > 60) {
                s = s.substring(0, 57) + "...";
            }
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return shortRepr(key);
    }

    static String shortRepr(long o) {
        try {
            long r = CApi.newRepr(o);
            try {
                String s = Strings.toJava(r);
                return s.length() > 60 ? s.substring(0, 57) + "..." : s;
            } finally {
                CApi.decRef(r);
            }
        } catch (RuntimeException e) {
            return "<" + typeName(o) + ">";
        }
    }

    /**
     * A conversion error on its way out of nested containers, collecting the path to the bad
     * element ({@code [3]["x"]}); {@link #rebuild()} turns it back into the original kind of exception,
     * with the path in front of its message and the original as its cause.
     */
    static final class PathError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final ArrayDeque<String> segments = new ArrayDeque<>();
        private final transient RuntimeException original;

        private PathError(RuntimeException original) {
            super(null, null, false, false);
            this.original = original;
        }

        /** {@code e} with {@code segment} put in front of its path; exceptions that carry no path pass unchanged. */
        static RuntimeException at(String segment, RuntimeException e) {
            PathError p;
            if (e instanceof PathError existing) {
                p = existing;
            } else if (e instanceof PyBaseException || e instanceof IllegalArgumentException) {
                p = new PathError(e);
            } else {
                return e;
            }
            p.segments.addFirst(segment);
            return p;
        }

        RuntimeException rebuild() {
            String path;
            if (segments.size() <= 24) {
                path = String.join("", segments);
            } else {
                List<String> all = new ArrayList<>(segments);
                path = String.join("", all.subList(0, 12)) + "...(" + (all.size() - 24) + " more)..."
                        + String.join("", all.subList(all.size() - 12, all.size()));
            }
            String message = path + ": " + (original instanceof PyBaseException b ? b.pythonMessage()
                    : original.getMessage());
            RuntimeException rebuilt;
            if (original instanceof PyBaseException) {
                try {
                    rebuilt = original.getClass().getConstructor(String.class).newInstance(message);
                } catch (ReflectiveOperationException e) {
                    return original;
                }
            } else {
                rebuilt = new IllegalArgumentException(message);
            }
            rebuilt.initCause(original);
            return rebuilt;
        }
    }
}
