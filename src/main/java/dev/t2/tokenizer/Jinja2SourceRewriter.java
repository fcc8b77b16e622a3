package dev.t2.tokenizer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Rewrites a Jinja2 template into an equivalent one that Jinjava renders exactly as Python's Jinja2 does
 * with Hugging Face's settings (trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False).
 *
 * <p>Jinja2 applies its whitespace rules in the lexer; Jinjava's own trim/lstrip handling differs in
 * corner cases (e.g. "{{-" after a block tag, lstrip of text that does not start a line). So this class
 * re-implements only Jinja2's lexer rules for whitespace, comments, raw blocks and string-literal escapes,
 * following jinja2/lexer.py, and emits a template without any whitespace control for Jinjava to render
 * with trimming switched off. Expressions and statements are passed through untouched apart from string
 * literals, which are re-quoted in the escape dialect Jinjava understands.
 */
final class Jinja2SourceRewriter {

    private final String source;
    private final StringBuilder out = new StringBuilder();
    private int pos;
    // Jinja2 lets lstrip_blocks strip indentation before a tag only at the start of a line.
    private boolean lineStarting = true;

    private Jinja2SourceRewriter(String source) {
        this.source = source;
    }

    /** The Jinjava equivalent of a Jinja2 template; throws {@link ChatTemplateException} on lexer errors. */
    static String rewrite(String jinja2Template) {
        Jinja2SourceRewriter rewriter = new Jinja2SourceRewriter(normalizeNewlines(jinja2Template));
        rewriter.run();
        return rewriter.out.toString();
    }

    /** Jinja2 turns \r\n and \r into \n and drops one trailing newline (keep_trailing_newline=False). */
    private static String normalizeNewlines(String s) {
        String normalized = s.replace("\r\n", "\n").replace('\r', '\n');
        return normalized.endsWith("\n") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }

    private void run() {
        while (pos < source.length()) {
            int open = nextTagStart(pos);
            if (open < 0) {
                emitText(source.substring(pos));
                return;
            }
            char kind = source.charAt(open + 1);
            int afterOpen = open + 2;
            char sign = afterOpen < source.length() && (source.charAt(afterOpen) == '-' || source.charAt(afterOpen) == '+')
                    ? source.charAt(afterOpen) : 0;
            int contentStart = sign == 0 ? afterOpen : afterOpen + 1;
            String text = source.substring(pos, open);
            // lstrip_blocks applies to statements, comments and raw blocks but never to {{ expressions }}.
            emitText(stripBeforeTag(text, sign, kind != '{'));
            int rawBodyStart = kind == '%' ? rawBlockBodyStart(contentStart) : -1;
            if (rawBodyStart >= 0) {
                rawBlock(rawBodyStart, open);
            } else if (kind == '#') {
                comment(contentStart, open);
            } else {
                tag(kind, contentStart, open);
            }
        }
    }

    /** Index of the next "{{", "{%" or "{#" at or after {@code from}, or -1. */
    private int nextTagStart(int from) {
        for (int i = from; i + 1 < source.length(); i++) {
            if (source.charAt(i) == '{') {
                char c = source.charAt(i + 1);
                if (c == '{' || c == '%' || c == '#') return i;
            }
        }
        return -1;
    }

    /** The whitespace rules Jinja2 applies to the text in front of a tag ("-", "+", lstrip_blocks). */
    private String stripBeforeTag(String text, char sign, boolean lstripApplies) {
        if (sign == '-') return rstrip(text);
        if (sign == '+' || !lstripApplies) return text;
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.length() && isWhitespace(text, lineStart, text.length())) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    private void comment(int contentStart, int open) {
        for (int i = contentStart; i + 1 < source.length(); i++) {
            if (source.charAt(i) == '#' && source.charAt(i + 1) == '}') {
                char before = i > contentStart ? source.charAt(i - 1) : 0;
                int end = i + 2;
                if (before == '-') end = skipWhitespace(end);
                else if (before != '+') end = trimBlocksNewline(end);
                finishTag(end);
                return;
            }
        }
        throw error("missing end of comment tag", open);
    }

    /** If "{% raw %}" (with optional -/+) starts at the tag opened before {@code contentStart}, the body start. */
    private int rawBlockBodyStart(int contentStart) {
        int i = skipWhitespace(contentStart);
        if (!source.startsWith("raw", i)) return -1;
        i = skipWhitespace(i + 3);
        // The raw opening tag never gets trim_blocks, only an explicit "-".
        if (source.startsWith("-%}", i)) return skipWhitespace(i + 3);
        if (source.startsWith("%}", i)) return i + 2;
        return -1;
    }

    private void rawBlock(int bodyStart, int open) {
        for (int i = source.indexOf("{%", bodyStart); i >= 0; i = source.indexOf("{%", i + 1)) {
            int j = i + 2;
            char sign = j < source.length() && (source.charAt(j) == '-' || source.charAt(j) == '+') ? source.charAt(j) : 0;
            if (sign != 0) j++;
            j = skipWhitespace(j);
            if (!source.startsWith("endraw", j)) continue;
            j = skipWhitespace(j + 6);
            int end;
            if (source.startsWith("+%}", j)) end = j + 3;
            else if (source.startsWith("-%}", j)) end = skipWhitespace(j + 3);
            else if (source.startsWith("%}", j)) end = trimBlocksNewline(j + 2);
            else continue;
            // The body is text: it gets the same "-"/lstrip treatment as text before any block tag.
            lineStarting = bodyStart > 0 && source.charAt(bodyStart - 1) == '\n';
            String body = stripBeforeTag(source.substring(bodyStart, i), sign, true);
            if (!body.isEmpty()) out.append("{{ ").append(jinjavaStringLiteral(body)).append(" }}");
            finishTag(end);
            return;
        }
        throw error("missing end of raw directive", open);
    }

    /** A {% statement %} or {{ expression }}: copied with string literals re-quoted and whitespace control applied. */
    private void tag(char kind, int contentStart, int open) {
        StringBuilder content = new StringBuilder();
        Deque<Character> brackets = new ArrayDeque<>();
        int i = contentStart;
        while (i < source.length()) {
            if (brackets.isEmpty()) {
                int end = tagEnd(kind, i);
                if (end >= 0) {
                    boolean block = kind == '%';
                    out.append(block ? "{% " : "{{ ").append(content.toString().strip()).append(block ? " %}" : " }}");
                    finishTag(end);
                    return;
                }
            }
            char c = source.charAt(i);
            if (c == '\'' || c == '"') {
                int close = stringLiteralEnd(i);
                if (close < 0) throw error("unterminated string literal", i);
                content.append(jinjavaStringLiteral(decodePythonEscapes(source.substring(i + 1, close), i)));
                i = close + 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                brackets.push(c);
            } else if (c == ')' || c == ']' || c == '}') {
                char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
                if (brackets.isEmpty() || brackets.pop() != expected) throw error("unexpected '" + c + "'", i);
            }
            // Jinjava's scanner would end the tag at a nested "}}" (e.g. {'a': {'b': 1}}); Jinja2 balances brackets.
            if ((c == '}' || c == '{') && !content.isEmpty() && content.charAt(content.length() - 1) == c) content.append(' ');
            content.append(c);
            i++;
        }
        throw error("missing end of " + (kind == '%' ? "block tag" : "expression"), open);
    }

    /** Where the text after the tag starts if the tag ends at {@code i}, else -1. */
    private int tagEnd(char kind, int i) {
        if (kind == '%') {
            if (source.startsWith("+%}", i)) return i + 3;
            if (source.startsWith("-%}", i)) return skipWhitespace(i + 3);
            if (source.startsWith("%}", i)) return trimBlocksNewline(i + 2);
        } else {
            if (source.startsWith("-}}", i)) return skipWhitespace(i + 3);
            if (source.startsWith("}}", i)) return i + 2;
        }
        return -1;
    }

    private void finishTag(int end) {
        lineStarting = end > 0 && source.charAt(end - 1) == '\n';
        pos = end;
    }

    /** trim_blocks: the first newline after a block tag is removed. */
    private int trimBlocksNewline(int i) {
        return i < source.length() && source.charAt(i) == '\n' ? i + 1 : i;
    }

    private int skipWhitespace(int i) {
        while (i < source.length() && isPythonWhitespace(source.charAt(i))) i++;
        return i;
    }

    /** Index of the closing quote of the literal opened at {@code open} (backslash escapes skipped), or -1. */
    private int stringLiteralEnd(int open) {
        char quote = source.charAt(open);
        for (int i = open + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') i++;
            else if (c == quote) return i;
        }
        return -1;
    }

    /** Plain text for Jinjava; a trailing "{" is emitted as an expression so it cannot fuse with the next tag. */
    private void emitText(String text) {
        if (text.endsWith("{")) {
            out.append(text, 0, text.length() - 1).append("{{ '{' }}");
        } else {
            out.append(text);
        }
    }

    /** Python's str.encode("ascii", "backslashreplace").decode("unicode-escape"), as Jinja2 unescapes literals. */
    private String decodePythonEscapes(String body, int at) {
        StringBuilder s = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                s.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\' -> s.append('\\');
                case '\'' -> s.append('\'');
                case '"' -> s.append('"');
                case 'a' -> s.append('\u0007');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'v' -> s.append('\u000B');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    String hex = body.substring(i + 1, Math.min(body.length(), i + 1 + digits));
                    if (hex.length() != digits || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw error("truncated \\" + e + " escape in string literal", at);
                    }
                    s.appendCodePoint(Integer.parseInt(hex, 16));
                    i += digits;
                }
                case 'N' -> {
                    int close = body.indexOf('}', i);
                    if (i + 1 >= body.length() || body.charAt(i + 1) != '{' || close < 0) {
                        throw error("malformed \\N character escape in string literal", at);
                    }
                    try {
                        s.appendCodePoint(Character.codePointOf(body.substring(i + 2, close)));
                    } catch (IllegalArgumentException unknown) {
                        throw error("unknown Unicode character name in string literal", at);
                    }
                    i = close;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < body.length() && end < i + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') end++;
                        s.append((char) Integer.parseInt(body.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        // Python keeps unknown escapes such as "\d" as they are.
                        s.append('\\').append(e);
                    }
                }
            }
        }
        return s.toString();
    }

    /** A single-quoted literal in the escape dialect Jinjava's expression scanner accepts (\\ and \' only). */
    static String jinjavaStringLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private ChatTemplateException error(String problem, int at) {
        int line = 1;
        for (int i = 0; i < at && i < source.length(); i++) if (source.charAt(i) == '\n') line++;
        return new ChatTemplateException("chat template syntax error at line " + line + ": " + problem);
    }

    /** Python's str.rstrip(): removes trailing whitespace as str.isspace() defines it. */
    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isPythonWhitespace(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    private static boolean isWhitespace(String s, int from, int to) {
        for (int i = from; i < to; i++) if (!isPythonWhitespace(s.charAt(i))) return false;
        return true;
    }

    /** Python's str.isspace() for one character (regex \s in Jinja2's lexer agrees for these). */
    static boolean isPythonWhitespace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= ' ') || c == '\u0085' || c == '\u00A0'
                || c == '\u1680' || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029'
                || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }
}
