package dev.t2.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code t2 bench} on the shipped tiny base: the JSON line's figures are consistent; empty runs are refused. */
class BenchCommandTest {

    private static final String BASE = "src/main/resources/models/t2-tiny-base";

    @Test
    void jsonLineReportsConsistentDecodeAndPrefillFigures() throws Exception {
        CliTest.Run run = CliTest.run("bench", "-m", BASE, "--prompt-tokens", "16", "--decode-tokens", "9", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out().strip());
        double bandwidth = j.get("bandwidth_gbs").asDouble(), mean = j.get("decode_gbs").asDouble();
        double median = j.get("decode_median_step_gbs").asDouble(), best = j.get("decode_best_step_gbs").asDouble();
        assertThat(bandwidth).isPositive();
        assertThat(j.get("decode_tokens_per_s").asDouble()).isPositive();
        assertThat(j.get("decode_bytes_per_token").asLong()).isPositive();
        // Neither the median step nor the mean is faster than the best step (figures rounded to two decimals).
        assertThat(median).isBetween(0.0, best + 0.01);
        assertThat(mean).isLessThanOrEqualTo(best + 0.01);
        assertThat(j.get("decode_fraction_of_bandwidth").asDouble()).isCloseTo(mean / bandwidth, org.assertj.core.data.Offset.offset(0.01));
        assertThat(j.get("prefill_tokens").asInt()).isEqualTo(16);
        assertThat(j.get("prefill_tokens_per_s").asDouble()).isPositive();
    }

    @Test
    void trainingFiguresCoverSvfLoraAndEveryWeight() throws Exception {
        CliTest.Run run = CliTest.run("bench", "-m", BASE, "--prompt-tokens", "16", "--decode-tokens", "4", "--train", "--train-tokens", "64", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out().strip());
        for (String key : new String[] {"gemm_gflops", "svf_train_tokens_per_s", "lora_train_tokens_per_s", "full_train_tokens_per_s", "full_train_gflops"}) {
            assertThat(j.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(j.get("full_train_recompute").asBoolean()).as("a 2.5 M-parameter model keeps its activations").isFalse();
    }

    @Test
    void refusesRunsWithoutTokens() {
        CliTest.Run run = CliTest.run("bench", "-m", BASE, "--decode-tokens", "0");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--decode-tokens must be at least 1, got 0");
        CliTest.Run noPrompt = CliTest.run("bench", "-m", BASE, "--prompt-tokens", "-3");
        assertThat(noPrompt.exitCode()).isNotZero();
        assertThat(noPrompt.err()).contains("--prompt-tokens must be at least 1, got -3");
    }
}
