package dev.t2.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code tojson} filter exactly as Hugging Face defines it for chat templates:
 * {@code json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}, i.e. Python's
 * spacing (", " and ": "), Python's float repr, no HTML escaping. Jinjava's built-in tojson differs in all three,
 * and tool-calling templates paste this output straight into the prompt.
 */
final class PythonToJsonFilter implements Filter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return filter(value, interpreter, (Object[]) args, Map.of());
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        // Python signature: tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
        Object ensureAscii = argument(args, kwargs, 0, "ensure_ascii");
        Object indent = argument(args, kwargs, 1, "indent");
        Object separators = argument(args, kwargs, 2, "separators");
        Object sortKeys = argument(args, kwargs, 3, "sort_keys");
        String indentUnit = indent == null ? null
                : indent instanceof Number n ? " ".repeat(Math.max(0, n.intValue())) : indent.toString();
        String itemSeparator = indentUnit == null ? ", " : ",";
        String keySeparator = ": ";
        if (separators instanceof List<?> pair && pair.size() == 2) {
            itemSeparator = String.valueOf(pair.get(0));
            keySeparator = String.valueOf(pair.get(1));
        }
        var writer = new Writer(Boolean.TRUE.equals(ensureAscii), indentUnit, itemSeparator, keySeparator,
                Boolean.TRUE.equals(sortKeys));
        writer.value(value, 0);
        return writer.out.toString();
    }

    private static Object argument(Object[] args, Map<String, Object> kwargs, int position, String name) {
        if (kwargs != null && kwargs.containsKey(name)) return kwargs.get(name);
        return args != null && args.length > position ? args[position] : null;
    }

    private record Writer(boolean ensureAscii, String indentUnit, String itemSeparator, String keySeparator,
                          boolean sortKeys, StringBuilder out) {

        Writer(boolean ensureAscii, String indentUnit, String itemSeparator, String keySeparator, boolean sortKeys) {
            this(ensureAscii, indentUnit, itemSeparator, keySeparator, sortKeys, new StringBuilder());
        }

        void value(Object v, int depth) {
            switch (v) {
                case null -> out.append("null");
                case Boolean b -> out.append(b ? "true" : "false");
                case String s -> string(s);
                case CharSequence s -> string(s.toString());
                case Double d -> out.append(pythonFloatRepr(d));
                case Float f -> out.append(pythonFloatRepr(f.doubleValue()));
                case BigDecimal d -> out.append(pythonFloatRepr(d.doubleValue()));
                case Number n -> out.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
                case Map<?, ?> m -> object(m, depth);
                case Collection<?> c -> array(c, depth);
                case Object[] a -> array(List.of(a), depth);
                default -> throw new ChatTemplateException(
                        "tojson: Object of type " + v.getClass().getSimpleName() + " is not JSON serializable");
            }
        }

        private void object(Map<?, ?> map, int depth) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (sortKeys) entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
            out.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) out.append(itemSeparator);
                newline(depth + 1);
                Object key = entries.get(i).getKey();
                string(key instanceof Boolean b ? (b ? "true" : "false") : key == null ? "null" : key.toString());
                out.append(keySeparator);
                value(entries.get(i).getValue(), depth + 1);
            }
            newline(depth);
            out.append('}');
        }

        private void array(Collection<?> items, int depth) {
            if (items.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            int i = 0;
            for (Object item : items) {
                if (i++ > 0) out.append(itemSeparator);
                newline(depth + 1);
                value(item, depth + 1);
            }
            newline(depth);
            out.append(']');
        }

        private void newline(int depth) {
            if (indentUnit != null) out.append('\n').append(indentUnit.repeat(depth));
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || (ensureAscii && c > 0x7E)) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }
    }

    /** Python's repr(float): shortest round-trip digits, exponent form below 1e-4 and from 1e16 on. */
    static String pythonFloatRepr(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        // Double.toString gives the shortest digits that round-trip (JDK 19+), as Python's repr does.
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int pointPosition = digits.length() - exact.scale(); // value = 0.digits × 10^pointPosition
        StringBuilder s = new StringBuilder(d < 0 ? "-" : "");
        if (pointPosition < -3 || pointPosition > 16) {
            s.append(digits.charAt(0));
            if (digits.length() > 1) s.append('.').append(digits, 1, digits.length());
            int exponent = pointPosition - 1;
            s.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            s.append(e.length() < 2 ? "0" + e : e);
        } else if (pointPosition <= 0) {
            s.append("0.").append("0".repeat(-pointPosition)).append(digits);
        } else if (pointPosition >= digits.length()) {
            s.append(digits).append("0".repeat(pointPosition - digits.length())).append(".0");
        } else {
            s.append(digits, 0, pointPosition).append('.').append(digits, pointPosition, digits.length());
        }
        return s.toString();
    }
}
