package dev.t2.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** Reading the fields of {@code tokenizer.json} components, with errors that say which component and field. */
final class HfJson {

    private HfJson() {}

    static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static String type(JsonNode node, String component) {
        JsonNode type = node.get("type");
        if (isAbsent(type) || !type.isTextual()) throw new TokenizerException(component + " has no \"type\"");
        return type.asText();
    }

    static String text(JsonNode node, String field, String component) {
        JsonNode v = node.get(field);
        if (isAbsent(v) || !v.isTextual()) {
            throw new TokenizerException(component + " needs a string field \"" + field + "\"");
        }
        return v.asText();
    }

    /** A string field that may be missing or null. */
    static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return isAbsent(v) ? null : v.asText();
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode v = node.get(field);
        return isAbsent(v) ? fallback : v.asBoolean();
    }

    static int integer(JsonNode node, String field, int fallback) {
        JsonNode v = node.get(field);
        return isAbsent(v) ? fallback : v.asInt();
    }

    static JsonNode array(JsonNode node, String field, String component) {
        JsonNode v = node.get(field);
        if (isAbsent(v) || !v.isArray()) throw new TokenizerException(component + " needs an array \"" + field + "\"");
        return v;
    }

    /** A single character field such as Metaspace's {@code replacement}. */
    static String character(JsonNode node, String field, String component) {
        String s = text(node, field, component);
        if (s.codePointCount(0, s.length()) != 1) {
            throw new TokenizerException(component + " field \"" + field + "\" must be one character, is '" + s + "'");
        }
        return s;
    }

    /** HF's pattern object: {@code {"String": "..."}} (literal) or {@code {"Regex": "..."}} (Oniguruma). */
    static Pattern pattern(JsonNode node, String field, String component) {
        JsonNode p = node.get(field);
        if (isAbsent(p) || !p.isObject()) throw new TokenizerException(component + " needs a pattern \"" + field + "\"");
        if (p.has("String")) return OnigurumaPattern.literal(p.get("String").asText());
        if (p.has("Regex")) return OnigurumaPattern.compile(p.get("Regex").asText());
        throw new TokenizerException(component + " pattern must be {\"String\": ...} or {\"Regex\": ...}, is " + p);
    }
}
