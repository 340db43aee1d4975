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
