package dev.pyjama.internal.facade;

/**
 * Text from Python (docstrings, signatures, reprs) made safe for a doclint-clean Javadoc comment:
 * HTML-escaped, with the characters Javadoc gives a meaning ({@literal @ { }}) and comment ends
 * turned into entities.
 */
final class Javadoc {

    private Javadoc() {}

    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '@' -> b.append("&#64;");
                case '{' -> b.append("&#123;");
                case '}' -> b.append("&#125;");
                case '\\' -> b.append("&#92;");
                case '*' -> b.append(i + 1 < text.length() && text.charAt(i + 1) == '/' ? "&#42;" : "*");
                case '\r' -> { }
                default -> b.append(c < 32 && c != '\n' ? ' ' : c);
            }
        }
        return b.toString();
    }

    /** A Javadoc comment body (without the delimiters): a docstring's paragraphs, then the signature. */
    static String comment(String indent, String summary, String doc, String signature) {
        StringBuilder b = new StringBuilder();
        b.append(indent).append("/**\n");
        b.append(indent).append(" * ").append(escape(summary)).append("\n");
        if (doc != null && !doc.isBlank()) {
            b.append(indent).append(" *\n").append(indent).append(" * <pre>\n");
            for (String line : doc.strip().split("\n", -1)) {
                b.append(indent).append(" * ").append(escape(line)).append("\n");
            }
            b.append(indent).append(" * </pre>\n");
        }
        if (signature != null) {
            b.append(indent).append(" *\n").append(indent).append(" * <p>Python: <code>").append(escape(signature))
                    .append("</code>\n");
        }
        return b.toString();
    }
}
