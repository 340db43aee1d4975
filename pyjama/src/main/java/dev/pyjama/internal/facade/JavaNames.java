package dev.pyjama.internal.facade;

import java.util.Locale;
import java.util.Set;

/** Python names made into Java ones: camelCase members, PascalCase types, no keyword clashes. */
final class JavaNames {

    private JavaNames() {}

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits",
            "when", "_");

    /**
     * {@code java.lang.Object}'s methods: a generated member of that name would override or clash
     * with one of them (a record may not even have a component of most of these names), so a Python
     * name that maps to one is renamed like a keyword.
     */
    static final Set<String> OBJECT_METHODS = Set.of("getClass", "hashCode", "equals", "toString", "wait",
            "notify", "notifyAll", "clone", "finalize");

    /** Whether {@code s} is a Java keyword or literal (not usable as an identifier). */
    static boolean isKeyword(String s) {
        return KEYWORDS.contains(s);
    }

    /** Names the generated code uses for parameters and fields (its lambda and local names start with $, which Python names cannot). */
    private static final Set<String> LOCALS = Set.of("py", "self", "args", "value");

    /** A method name: {@code total_price} -> {@code totalPrice}; a Java keyword gets a trailing underscore. */
    static String member(String python) {
        String s = camel(python, false);
        return KEYWORDS.contains(s) ? s + "_" : s;
    }

    /** A parameter or record component name: as {@link #member}, and clear of the generated code's own names. */
    static String param(String python) {
        String s = member(python);
        return LOCALS.contains(s) ? s + "_" : s;
    }

    /**
     * A record component name: the Python field's own name, which pyjama's record conversion looks
     * up, unless Java cannot have it (a keyword, one of {@link #OBJECT_METHODS}, a name the
     * generated code uses, not a Java identifier): then with a trailing underscore.
     */
    static String component(String python) {
        boolean ok = !python.isEmpty() && Character.isJavaIdentifierStart(python.charAt(0)) && !python.equals("_");
        for (int i = 1; ok && i < python.length(); i++) {
            ok = Character.isJavaIdentifierPart(python.charAt(i)) && python.charAt(i) != '$';
        }
        ok = ok && python.charAt(0) != '$';
        if (!ok) {
            return param(python) + "_";
        }
        return !KEYWORDS.contains(python) && !OBJECT_METHODS.contains(python) && !LOCALS.contains(python)
                ? python : python + "_";
    }

    /** A Python identifier kept as it is unless it is a Java keyword (then with a trailing underscore). */
    static String keywordSafe(String python) {
        return KEYWORDS.contains(python) ? python + "_" : python;
    }

    /** {@code pricing_tools} -> {@code PricingTools}. */
    static String typeName(String python) {
        String s = camel(python, true);
        return s.isEmpty() ? "Unnamed" : s;
    }

    /** A Python value made a Java enum constant: {@code "fast-path"} -> {@code FAST_PATH}. */
    static String constant(String python) {
        StringBuilder b = new StringBuilder();
        for (char c : python.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 ? Character.toUpperCase(c) : '_');
        }
        String s = b.toString();
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "V_" + s;
        }
        return KEYWORDS.contains(s.toLowerCase(Locale.ROOT)) && s.equals(s.toLowerCase(Locale.ROOT)) ? s + "_" : s;
    }

    /** A Python type variable's Java name: {@code T} stays, {@code KT} stays, {@code _T} -> {@code T}. */
    static String typeVarName(String python) {
        String s = python.replace("_", "");
        return s.isEmpty() ? "T" : s;
    }

    /** The parameter or field holding the {@code Class} token of type variable {@code t}. */
    static String tokenName(String t) {
        return Character.toLowerCase(t.charAt(0)) + t.substring(1) + "Type";
    }

    private static String camel(String python, boolean upperFirst) {
        StringBuilder b = new StringBuilder();
        boolean up = upperFirst;
        for (char c : python.toCharArray()) {
            if (c == '_' || !(Character.isLetterOrDigit(c) && c < 128)) {
                up = b.length() > 0 || upperFirst;
                continue;
            }
            b.append(up ? Character.toUpperCase(c) : b.length() == 0 && !upperFirst ? Character.toLowerCase(c) : c);
            up = false;
        }
        if (b.length() > 0 && Character.isDigit(b.charAt(0))) {
            b.insert(0, upperFirst ? "T" : "n");
        }
        return b.toString();
    }
}
