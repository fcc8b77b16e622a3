package dev.t2.tokenizer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma (Ruby-syntax) regexes of {@code tokenizer.json} into Java patterns that match the same
 * text: Unicode-aware {@code \s \w \d}, Oniguruma's {@code \h} (hex digit), {@code \p{^X}} negation, script
 * properties, and intervals that Oniguruma takes literally.
 */
final class OnigurumaPattern {

    /**
     * Oniguruma's {@code \w}: Java's Unicode {@code \w} without the joiners U+200C/U+200D, plus the Latin-1
     * superscript digits and fractions (checked against HF for every code point).
     */
    private static final String WORD = "\\p{Alpha}\\p{M}\\p{Nd}\\p{Pc}\\u00B2\\u00B3\\u00B9\\u00BC-\\u00BE";

    /** Inside a bracket class Oniguruma's {@code \w} lacks those Latin-1 extras. */
    private static final String WORD_IN_CLASS = "\\p{Alpha}\\p{M}\\p{Nd}\\p{Pc}";

    private OnigurumaPattern() {}

    static Pattern compile(String onig) {
        String java = translate(onig);
        try {
            return Pattern.compile(java, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException("unsupported regex " + quote(onig) + ": " + e.getDescription());
        }
    }

    /** A pattern matching {@code literal} exactly (HF's {@code "String"} patterns). */
    static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }

    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() + 16);
        int classDepth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (i + 1 >= p.length()) throw new TokenizerException("regex " + quote(p) + " ends with a backslash");
                char d = p.charAt(++i);
                switch (d) {
                    case 'h' -> out.append("[0-9a-fA-F]"); // Oniguruma: hex digit (Java: horizontal space)
                    case 'H' -> out.append("[^0-9a-fA-F]");
                    case 'w' -> out.append('[').append(classDepth > 0 ? WORD_IN_CLASS : WORD).append(']');
                    case 'W' -> out.append("[^").append(classDepth > 0 ? WORD_IN_CLASS : WORD).append(']');
                    case 'b' -> out.append(classDepth > 0 ? "\\x08" : "(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=[" + WORD + "]))");
                    case 'B' -> out.append("(?:(?<=[" + WORD + "])(?=[" + WORD + "])|(?<![" + WORD + "])(?![" + WORD + "]))");
                    case 'p', 'P' -> i = translateProperty(p, i, d == 'P', out);
                    default -> out.append('\\').append(d);
                }
            } else if (c == '[') {
                classDepth++;
                out.append(c);
                // A ']' right after '[' or '[^' is a literal in Oniguruma, as in Java.
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
                out.append(c);
            } else if (c == '{' && classDepth == 0) {
                int end = p.indexOf('}', i);
                String body = end < 0 ? null : p.substring(i + 1, end);
                if (body != null && body.matches("\\d+(,\\d*)?")) {
                    out.append('{').append(body).append('}');
                    i = end;
                } else if (body != null && body.matches(",\\d+")) {
                    out.append("{0").append(body).append('}'); // Oniguruma's {,n} means {0,n}
                    i = end;
                } else {
                    out.append("\\{"); // not an interval: Oniguruma takes '{' literally, Java would reject it
                }
            } else if (c == '(' && p.startsWith("(?~", i)) {
                throw new TokenizerException("unsupported regex " + quote(p) + ": absent operator (?~...)");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Translates {@code \p{Name}} / {@code \p{^Name}} / {@code \P{Name}} starting at the 'p'; returns the last index used. */
    private static int translateProperty(String p, int i, boolean negated, StringBuilder out) {
        if (i + 1 >= p.length() || p.charAt(i + 1) != '{') {
            out.append('\\').append(p.charAt(i)); // one-letter form such as \pL
            return i;
        }
        int end = p.indexOf('}', i);
        if (end < 0) throw new TokenizerException("regex " + quote(p) + " has an unterminated \\p{");
        String name = p.substring(i + 2, end);
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String javaName = javaPropertyName(name.replace(" ", "").replace("-", "_"));
        if (javaName == null) throw new TokenizerException("unsupported regex property \\p{" + name + "} in " + quote(p));
        out.append(negated ? "\\P{" : "\\p{").append(javaName).append('}');
        return end;
    }

    /** The Java spelling of an Oniguruma property: categories and POSIX names as-is, scripts and binaries with "Is". */
    private static String javaPropertyName(String name) {
        if (name.equalsIgnoreCase("Any")) name = "all"; // Java's spelling of "every code point"
        for (String candidate : new String[] {name, "Is" + name}) {
            try {
                Pattern.compile("\\p{" + candidate + "}", Pattern.UNICODE_CHARACTER_CLASS);
                return candidate;
            } catch (PatternSyntaxException ignored) {
                // try the next spelling
            }
        }
        return null;
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }
}
