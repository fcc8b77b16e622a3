package dev.t2.svf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.Backprop;
import dev.t2.model.LlamaModel;
import dev.t2.model.LlamaWeights;
import dev.t2.model.ModelConfig;
import dev.t2.model.RandomWeights;
import dev.t2.model.RopeScaling;
import dev.t2.model.SequenceChunk;
import dev.t2.model.TokenLoss;
import dev.t2.model.TrainableWeights;
import dev.t2.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expert files round-trip, refuse models they do not fit, and give inference the weights training saw. */
class ExpertTest {
    static final ModelConfig C = new ModelConfig("LlamaForCausalLM", 16, 24, 2, 4, 2, 4, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
            false, true, false, 0, 1, List.of(2));

    @TempDir
    Path tmp;

    @Test
    void trainedScalesSavedLoadedAndAppliedGiveTheTrainingGraphsLogProbs() {
        LlamaWeights base = RandomWeights.create(C, DType.BF16, 8, 0.3);
        List<String> names = SvfTargets.MLP.names(C.numLayers());
        Map<String, Svd> svds = SvdCache.loadOrCompute(base, names, tmp.resolve("cache"));
        Random rnd = new Random(4);
        Map<String, SvfLinear> svf = new HashMap<>();
        TrainableWeights training = TrainableWeights.frozen(C, base).withProjections((name, lin) -> {
            if (!SvfTargets.MLP.includes(name)) return lin;
            SvfLinear s = new SvfLinear(svds.get(name), SvfLinear.initialLogits(name, svds.get(name).rank(), rnd), 1f);
            for (int i = 0; i < s.logits().size(); i++) s.logits().value()[i] += (float) rnd.nextGaussian(); // as if trained
            svf.put(name, s);
            return s;
        });
        Map<String, float[]> scales = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String n : names) {
            scales.put(n, svf.get(n).scale());
            shapes.put(n, new int[] {svf.get(n).out(), svf.get(n).in()});
        }
        SvfExpert expert = new SvfExpert(scales, shapes, SvdCache.fingerprint(base, names), C.architecture(), SvfTargets.MLP,
                Map.of("task", "unit-test", "steps", "0"));
        Path file = tmp.resolve("expert.safetensors");
        ExpertFile.write(file, expert);
        SvfExpert loaded = ExpertFile.read(file);
        assertThat(loaded.info()).containsEntry("task", "unit-test");
        assertThat(loaded.parameterCount()).isEqualTo(2L * (16 + 16 + 16));
        for (String n : names) assertThat(loaded.scales().get(n)).containsExactly(scales.get(n));

        AdaptedWeights.check(loaded, C, base, false, System.err);
        LlamaModel adapted = new LlamaModel(C, AdaptedWeights.apply(base, svds, loaded.scales()));
        int[] seq = {1, 6, 2, 9, 9, 4};
        float[] logits = adapted.forward(List.of(new SequenceChunk(adapted.newCache(), seq)), LlamaModel.Logits.ALL);
        double expected = 0;
        for (int i = 0; i + 1 < seq.length; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < C.vocabSize(); v++) max = Math.max(max, logits[i * C.vocabSize() + v]);
            for (int v = 0; v < C.vocabSize(); v++) sum += Math.exp(logits[i * C.vocabSize() + v] - max);
            expected += logits[i * C.vocabSize() + seq[i + 1]] - max - Math.log(sum);
        }
        double fromTraining = Backprop.run(training, TokenLoss.nextToken(List.of(seq)), false).sequenceLogProbs()[0];
        assertThat(fromTraining).isCloseTo(expected, Offset.offset(1e-3));
    }

    @Test
    void anExpertForAnotherModelIsRefusedUnlessTransferred() {
        LlamaWeights base = RandomWeights.create(C, DType.BF16, 8, 0.3), other = RandomWeights.create(C, DType.BF16, 9, 0.3);
        List<String> names = SvfTargets.MLP.names(C.numLayers());
        Map<String, float[]> scales = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String n : names) {
            var t = base.byName().get(n + ".weight");
            scales.put(n, new float[Math.min(t.rows(), t.cols())]);
            shapes.put(n, new int[] {t.rows(), t.cols()});
        }
        SvfExpert expert = new SvfExpert(scales, shapes, SvdCache.fingerprint(base, names), C.architecture(), SvfTargets.MLP, Map.of());
        assertThatThrownBy(() -> AdaptedWeights.check(expert, C, other, false, System.err)).hasMessageContaining("--transfer");
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        AdaptedWeights.check(expert, C, other, true, new PrintStream(warnings));
        assertThat(warnings.toString()).contains("warning: transferring");

        ModelConfig wider = new ModelConfig("LlamaForCausalLM", 16, 32, 2, 4, 2, 4, 32, 64, 1e-5f, 10000, RopeScaling.NONE,
                false, true, false, 0, 1, List.of(2));
        LlamaWeights widerBase = RandomWeights.create(wider, DType.BF16, 8, 0.3);
        assertThatThrownBy(() -> AdaptedWeights.check(expert, wider, widerBase, true, System.err)).hasMessageContaining("24×16");
    }

    @Test
    void aFileThatIsNotAnExpertIsNamed() {
        Path file = tmp.resolve("weights.safetensors");
        dev.t2.io.SafetensorsWriter.write(file, Map.of("w", dev.t2.tensor.Tensor.ofFloats("w", new float[] {1}, 1)), Map.of());
        assertThatThrownBy(() -> ExpertFile.read(file)).hasMessageContaining(file.toString()).hasMessageContaining("not a t2 SVF expert");
    }

}
