package dev.t2.tokenizer;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's str methods for Jinjava ({@code content.strip()}, {@code role.startswith('sys')}, ...):
 * chat templates are written against Python strings, while Jinjava would call java.lang.String's methods,
 * which are missing (startswith) or differ (strip's whitespace set, split's arguments).
 * Only method calls on strings are resolved here; everything else falls through to Jinjava's resolvers.
 */
final class PythonStringMethods extends ELResolver {

    /** call()'s answer for names that are not str methods, so Jinjava's resolvers get their turn. */
    private static final Object NOT_A_STR_METHOD = new Object();

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name)) return null;
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        try {
            result = call(s, name, args);
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new ChatTemplateException("bad arguments to str." + name + "() in chat template: " + e.getMessage());
        }
        if (result == NOT_A_STR_METHOD) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static Object call(String s, String name, Object[] a) {
        return switch (name) {
            case "strip" -> rstrip(lstrip(s, chars(a)), chars(a));
            case "lstrip" -> lstrip(s, chars(a));
            case "rstrip" -> rstrip(s, chars(a));
            case "startswith" -> matchesAny(a[0], s::startsWith);
            case "endswith" -> matchesAny(a[0], s::endsWith);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s
                    : s.substring(0, s.offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT)
                            + s.substring(s.offsetByCodePoints(0, 1)).toLowerCase(Locale.ROOT);
            case "replace" -> replace(s, (String) a[0], (String) a[1], a.length > 2 ? ((Number) a[2]).intValue() : -1);
            case "split" -> split(s, a.length > 0 ? (String) a[0] : null, a.length > 1 ? ((Number) a[1]).intValue() : -1);
            case "splitlines" -> splitlines(s);
            case "find" -> s.indexOf((String) a[0]);
            case "rfind" -> s.lastIndexOf((String) a[0]);
            case "count" -> count(s, (String) a[0]);
            case "join" -> join(s, a[0]);
            case "removeprefix" -> s.startsWith((String) a[0]) ? s.substring(((String) a[0]).length()) : s;
            case "removesuffix" -> s.endsWith((String) a[0]) ? s.substring(0, s.length() - ((String) a[0]).length()) : s;
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(c -> Jinja2SourceRewriter.isPythonWhitespace((char) c));
            case "isupper" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
            case "islower" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
            default -> NOT_A_STR_METHOD;
        };
    }

    /** The characters to strip, or null for Python's default (whitespace). */
    private static String chars(Object[] a) {
        return a.length > 0 && a[0] != null ? a[0].toString() : null;
    }

    private static boolean stripped(char c, String chars) {
        return chars == null ? Jinja2SourceRewriter.isPythonWhitespace(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && stripped(s.charAt(i), chars)) i++;
        return s.substring(i);
    }

    private static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && stripped(s.charAt(end - 1), chars)) end--;
        return s.substring(0, end);
    }

    /** startswith/endswith accept one prefix or a tuple (a list in Jinjava) of them. */
    private static boolean matchesAny(Object prefixes, java.util.function.Predicate<String> test) {
        if (prefixes instanceof Collection<?> many) {
            for (Object p : many) if (test.test(p.toString())) return true;
            return false;
        }
        return test.test(prefixes.toString());
    }

    /** Python's str.title(): a letter is upper-cased when it follows a non-letter, lower-cased otherwise. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousIsLetter = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean letter = Character.isLetter(cp);
            out.appendCodePoint(letter ? (previousIsLetter ? Character.toLowerCase(cp) : Character.toTitleCase(cp)) : cp);
            previousIsLetter = letter;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String replace(String s, String old, String replacement, int count) {
        if (count < 0) return s.replace(old, replacement);
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int at = s.indexOf(old, from);
            if (at < 0) break;
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            if (old.isEmpty()) {
                if (from >= s.length()) break;
                out.append(s.charAt(from++));
            }
        }
        return out.append(s.substring(Math.min(from, s.length()))).toString();
    }

    /** Python's str.split: no separator splits on whitespace runs and drops empty parts. */
    private static List<Object> split(String s, String separator, int maxSplit) {
        List<Object> parts = new ArrayList<>();
        if (separator == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && Jinja2SourceRewriter.isPythonWhitespace(s.charAt(i))) i++;
                if (i >= s.length()) break;
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(rstrip(s.substring(i), null));
                    break;
                }
                int start = i;
                while (i < s.length() && !Jinja2SourceRewriter.isPythonWhitespace(s.charAt(i))) i++;
                parts.add(s.substring(start, i));
            }
            return parts;
        }
        if (separator.isEmpty()) throw new ChatTemplateException("str.split(): empty separator in chat template");
        int from = 0;
        while (maxSplit < 0 || parts.size() < maxSplit) {
            int at = s.indexOf(separator, from);
            if (at < 0) break;
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Python's str.splitlines(): line ends dropped, no empty part after a final line end. */
    private static List<Object> splitlines(String s) {
        List<Object> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\n\r\u000B\f\u001C\u001D\u001E\u0085\u2028\u2029".indexOf(c) < 0) continue;
            lines.add(s.substring(start, i));
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
            start = i + 1;
        }
        if (start < s.length()) lines.add(s.substring(start));
        return lines;
    }

    private static int count(String s, String part) {
        if (part.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + part.length())) n++;
        return n;
    }

    private static String join(String separator, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> it) for (Object o : it) parts.add(String.valueOf(o));
        else throw new ChatTemplateException("str.join() needs a list in chat template");
        return String.join(separator, parts);
    }

    // Property access is left to Jinjava's own resolvers.

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
