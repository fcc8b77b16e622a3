package dev.t2.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.io.LoadedModel;
import dev.t2.io.ModelLoader;
import dev.t2.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched generation on the real stories260K model: batching, seeds, stop strings and streaming. */
class GeneratorTest {
    static LoadedModel stories;
    static Generator generator;

    @BeforeAll
    static void load() {
        stories = ModelLoader.load(SharedFiles.shared().resolve("models/stories260K"));
        generator = new Generator(stories.model(), stories.tokenizer());
    }

    private static List<int[]> prompts() {
        return List.of(stories.tokenizer().encode("Once upon a time", true), stories.tokenizer().encode("The dog", true),
                stories.tokenizer().encode("Tom and Sue went to the", true));
    }

    @Test
    void aBatchGivesWhatEachPromptGivesAlone() {
        for (SamplerConfig sampler : List.of(SamplerConfig.GREEDY, new SamplerConfig(0.9f, 40, 0.95f, 0.05f))) {
            var options = new GenerationOptions(40, sampler, 1234, stories.stopTokens(), List.of());
            List<Generation> batch = generator.generate(prompts(), options, null);
            for (int i = 0; i < prompts().size(); i++) {
                // sequence i draws from seed + i, whatever else is in the batch
                var alone = generator.generate(List.of(prompts().get(i)),
                        new GenerationOptions(40, sampler, 1234 + i, stories.stopTokens(), List.of()), null).getFirst();
                assertThat(batch.get(i).tokens()).as("prompt %d with %s", i, sampler).containsExactly(alone.tokens());
            }
        }
    }

    @Test
    void seedsReproduceAndDiffer() {
        var sampler = new SamplerConfig(1.0f, 0, 1, 0);
        var a = generator.generate(prompts().getFirst(), new GenerationOptions(30, sampler, 5, Set.of(), List.of()), null);
        var b = generator.generate(prompts().getFirst(), new GenerationOptions(30, sampler, 5, Set.of(), List.of()), null);
        var c = generator.generate(prompts().getFirst(), new GenerationOptions(30, sampler, 6, Set.of(), List.of()), null);
        assertThat(a.tokens()).containsExactly(b.tokens());
        assertThat(a.tokens()).isNotEqualTo(c.tokens());
    }

    @Test
    void stopStringEndsTheTextBeforeItAndIsNeverStreamed() {
        int[] bos = {stories.tokenizer().bosId()};
        // the greedy story contains "Lily" early on
        var options = new GenerationOptions(100, SamplerConfig.GREEDY, 0, stories.stopTokens(), List.of("Lily"));
        StringBuilder streamed = new StringBuilder();
        var g = generator.generate(bos, options, (i, text) -> streamed.append(text));
        assertThat(g.finishReason()).isEqualTo(Generation.FinishReason.STOP_STRING);
        assertThat(g.text()).isEqualTo("Once upon a time, there was a little girl named ");
        assertThat(streamed.toString()).isEqualTo(g.text());
    }

    @Test
    void streamedPiecesConcatenateToTheFinalText() {
        List<String> pieces = new ArrayList<>();
        var g = generator.generate(new int[] {1}, GenerationOptions.greedy(120, stories.stopTokens()), (i, t) -> pieces.add(t));
        assertThat(String.join("", pieces)).isEqualTo(g.text());
        assertThat(pieces.size()).isGreaterThan(50);
        assertThat(g.finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
    }

    @Test
    void textStreamNeverReleasesHalfACharacter() {
        var tok = stories.tokenizer();
        // "é" = C3 A9 and "😀" = F0 9F 98 80 through the byte-fallback tokens <0xC3> … (id = byte + 3)
        TextStream s = new TextStream(tok, List.of());
        StringBuilder out = new StringBuilder();
        for (int b : new int[] {0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80}) {
            s.add(b + 3);
            String piece = s.release(false);
            assertThat(piece).doesNotContain("\uFFFD");
            out.append(piece);
        }
        out.append(s.release(true));
        assertThat(out.toString()).isEqualTo("é😀");
    }
}
