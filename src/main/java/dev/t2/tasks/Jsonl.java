package dev.t2.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads JSON Lines and JSON files, naming the file and line of anything malformed. */
final class Jsonl {
    private Jsonl() {}

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One JSON object per non-blank line. */
    static List<JsonNode> read(Path file) {
        List<String> lines = lines(file);
        List<JsonNode> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            rows.add(parse(lines.get(i), file + ":" + (i + 1)));
        }
        return rows;
    }

    /** A whole-file JSON document. */
    static JsonNode readJson(Path file) {
        try {
            return MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("data file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("data file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static JsonNode parse(String line, String where) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A required text field (numbers are accepted as their text). */
    static String text(JsonNode row, String field, String where) {
        JsonNode v = row.get(field);
        if (v == null || v.isNull() || v.isContainerNode())
            throw new IllegalArgumentException(where + ": missing text field \"" + field + "\"");
        return v.asText();
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
