package dev.t2.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Prints {@code {{ expressions }}} (and the {@code string} filter) as Python's str() would: True/False,
 * [1, 'a', None], {'k': 1.5}. Jinjava prints Java's toString (true, [1, a, null], {k=1.5}).
 * A missing value prints as "", matching Jinja2's Undefined (Jinjava cannot tell it apart from None).
 */
final class PythonStrOutput implements ExpressionStrategy {

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
        Object value = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
        return new RenderedOutputNode(str(value));
    }

    /** {@code |string}: Python's str() as well. */
    static final class StringFilter implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
            return str(value);
        }
    }

    static String str(Object value) {
        return value == null ? "" : value instanceof CharSequence s ? s.toString() : repr(value);
    }

    /** Python's repr() for the types templates handle: str, bool, None, int, float, list, dict. */
    static String repr(Object value) {
        return switch (value) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case CharSequence s -> quote(s.toString());
            case Double d -> PythonToJsonFilter.pythonFloatRepr(d);
            case Float f -> PythonToJsonFilter.pythonFloatRepr(f.doubleValue());
            case BigDecimal d -> PythonToJsonFilter.pythonFloatRepr(d.doubleValue());
            case Map<?, ?> map -> {
                StringJoiner items = new StringJoiner(", ", "{", "}");
                map.forEach((k, v) -> items.add(repr(k) + ": " + repr(v)));
                yield items.toString();
            }
            case Collection<?> list -> {
                StringJoiner items = new StringJoiner(", ", "[", "]");
                for (Object item : list) items.add(repr(item));
                yield items.toString();
            }
            default -> value.toString();
        };
    }

    /** Python's string repr: single quotes unless the text has ' and no ", escapes for \\ and control characters. */
    private static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == q) out.append('\\').append(c);
                    else if (c < 0x20 || c == 0x7F) out.append(String.format("\\x%02x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append(q).toString();
    }
}
