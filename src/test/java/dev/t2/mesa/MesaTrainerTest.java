package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.Parameter;
import dev.t2.rl.CosineSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesaTrainerTest {
    private static MesaTrainer.Config config(int steps) {
        return new MesaTrainer.Config(steps, 32, new CosineSchedule(2, steps, 1e-2f, 1e-4f), 1e-4f, 1f, 5, 5);
    }

    @Test
    void aShortRunOfTheMesaLayerClearlyBeatsPredictingZero() {
        AttentionModel model = new AttentionModel(ModelSpec.preset("mesa-1"), 10, 1);
        Sequences held = LinearDynamics.PAPER.sample(96, -5);
        double before = model.loss(held, Workers.INLINE);
        MesaTrainer.train(model, LinearDynamics.PAPER, config(50), Workers.INLINE, null);
        double after = model.loss(held, Workers.INLINE);
        assertThat(before).isGreaterThan(1.6); // a small random model predicts about zero
        assertThat(after).isLessThan(0.8 * held.zeroPredictionLoss());
    }

    @Test
    void aKilledRunResumesIdentically(@TempDir Path dir) throws Exception {
        LinearDynamics small = new LinearDynamics(4, 8, 0.01); // resuming is about bookkeeping, not scale
        ModelSpec spec = new ModelSpec("small-mesa", TokenLayout.CONSTRUCTED, List.of(AttentionKind.MESA, AttentionKind.LINEAR), 2, 4, 0.1f);
        AttentionModel straight = new AttentionModel(spec, 4, 2);
        double[] all = MesaTrainer.train(straight, small, config(6), Workers.INLINE, dir.resolve("straight"));

        AttentionModel first = new AttentionModel(spec, 4, 2);
        MesaTrainer.train(first, small, config(6).withSteps(3), Workers.INLINE, dir.resolve("resumed"));
        AttentionModel second = new AttentionModel(spec, 4, 99); // other init: the checkpoint must win
        double[] resumed = MesaTrainer.train(second, small, config(6), Workers.INLINE, dir.resolve("resumed"));

        assertThat(resumed).containsExactly(all);
        List<Parameter> a = straight.parameters(), b = second.parameters();
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i).value()).containsExactly(a.get(i).value());
        assertThat(Files.readAllLines(dir.resolve("resumed").resolve("metrics.jsonl"))).hasSize(6);

        MesaTrainer.Trained loaded = MesaTrainer.load(dir.resolve("straight"));
        assertThat(loaded.model().spec()).isEqualTo(spec);
        for (int i = 0; i < a.size(); i++) assertThat(loaded.model().parameters().get(i).value()).containsExactly(a.get(i).value());
        assertThat(loaded.task()).isEqualTo(small);
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused(@TempDir Path dir) {
        MesaTrainer.train(new AttentionModel(ModelSpec.preset("linear-1"), 10, 2), LinearDynamics.PAPER, config(1), Workers.INLINE, dir);
        assertThatThrownBy(() -> MesaTrainer.train(new AttentionModel(ModelSpec.preset("mesa-1"), 10, 2), LinearDynamics.PAPER, config(2), Workers.INLINE, dir))
                .hasMessageContaining("holds model linear-1");
        assertThatThrownBy(() -> MesaTrainer.load(dir.resolve("nothing"))).hasMessageContaining("no checkpoint.safetensors");
    }
}
