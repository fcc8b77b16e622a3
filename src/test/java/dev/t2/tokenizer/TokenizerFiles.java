package dev.t2.tokenizer;

import dev.t2.testing.SharedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Every {@code tokenizer.json} under {@code shared/hf} (a new one is covered automatically), loaded once, and the corpus. */
final class TokenizerFiles {

    private static final Map<Path, HfTokenizer> LOADED = new ConcurrentHashMap<>();

    private TokenizerFiles() {}

    static List<Path> all() {
        try (Stream<Path> files = Files.walk(SharedFiles.shared().resolve("hf"))) {
            List<Path> found = files.filter(p -> p.getFileName().toString().equals("tokenizer.json")).sorted().toList();
            if (found.isEmpty()) throw new IllegalStateException("no tokenizer.json under " + SharedFiles.hf(""));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HfTokenizer load(Path file) {
        return LOADED.computeIfAbsent(file.toAbsolutePath().normalize(), HfTokenizer::load);
    }

    /** The folder name, e.g. "gpt2", for test names. */
    static String name(Path file) {
        return file.getParent().getFileName().toString();
    }

    /** The multilingual test corpus, byte for byte (it contains CRLF, tabs, NBSP, ideographic spaces). */
    static String corpus() {
        try (InputStream in = TokenizerFiles.class.getResourceAsStream("/tokenizer-corpus.txt")) {
            if (in == null) throw new IllegalStateException("tokenizer-corpus.txt missing from test resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The corpus lines, split on '\n' only so that '\r' stays in the lines that have it. */
    static List<String> corpusLines() {
        return Arrays.asList(corpus().split("\n", -1));
    }

    /** Strings built in code, so that their odd characters do not depend on how the corpus file is stored. */
    static List<String> trickyStrings() {
        List<String> s = new ArrayList<>(List.of(
                "", " ", "  ", "\n", "\n\n\n", "\r\n", "\t", " \t \n ", "\u00a0", "\u3000", "a\u00a0\u00a0b", "x\u3000\u3000y",
                "line one\r\nline two\r\n\r\nline four", "many" + " ".repeat(37) + "spaces", "\n".repeat(20) + "after newlines",
                "    indented\n\tand tabbed\n  \t mixed", "trailing   ", "   leading", " ", "a", "A", "I", "'", "''", "'s", "'S",
                "don't DON'T Don'T I'LL we've WE'VE you'd it's", "1234567 3.14159 -0.5 1e9 ١٢٣ ௧௨ ½",
                "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇯🇵🇺🇸", "🏳️‍🌈", "e\u0301", "\u0301", "\ufeffBOM", "\u200b\u200c\u200d", "\u0000nul",
                "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "中文🙂日本語", "한국어😀", "مرحبا😀", "▁already▁spaced", "Ġnot a byte token", "<0x0A> literally",
                "<s>", "</s>", "<unk>", "<s><s></s>", " <s> ", "a<s>b", "<|im_start|>", "<|im_start|>user\nhi<|im_end|>\n",
                "<|begin_of_text|>", "<|eot_id|>", "<|endoftext|>", "<|begin_of_text|><|begin_of_text|>", "<|im_start",
                "<|reserved_special_token_5|>", "<|fim_prefix|>code<|fim_suffix|>", "x <|endoftext|>   y",
                "a\u0301\u1DF6\u0316 e\u0334\u07FD", "x²½\u200Dy\u200Cz", "\u1100\u1161\u11A8 ﬁ Ω Å"));
        StringBuilder longWord = new StringBuilder();
        for (int i = 0; i < 300; i++) longWord.append((char) ('a' + i % 26));
        s.add(longWord.toString()); // longer than the word cache limit
        s.add("ab".repeat(500));
        s.add("😀".repeat(100));
        return s;
    }
}
