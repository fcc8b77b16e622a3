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
        return new MesaTrainer.Config(steps, 64, new CosineSchedule(2, steps, 1e-2f, 1e-4f), 1e-4f, 1f, 5, 5);
    }

    @Test
    void aShortRunOfTheMesaLayerClearlyBeatsPredictingZero() {
        AttentionModel model = new AttentionModel(ModelSpec.preset("mesa-1"), 10, 1);
        Sequences held = LinearDynamics.PAPER.sample(128, -5);
        double before = model.loss(held, Workers.INLINE);
        MesaTrainer.train(model, LinearDynamics.PAPER, config(60), Workers.INLINE, null);
        double after = model.loss(held, Workers.INLINE);
        assertThat(before).isGreaterThan(1.6); // a small random model predicts about zero
        assertThat(after).isLessThan(0.8 * held.zeroPredictionLoss());
    }

    @Test
    void aKilledRunResumesIdentically(@TempDir Path dir) throws Exception {
        AttentionModel straight = new AttentionModel(ModelSpec.preset("linear-1"), 10, 2);
        double[] all = MesaTrainer.train(straight, LinearDynamics.PAPER, config(10), Workers.INLINE, dir.resolve("straight"));

        AttentionModel first = new AttentionModel(ModelSpec.preset("linear-1"), 10, 2);
        MesaTrainer.train(first, LinearDynamics.PAPER, config(10).withSteps(5), Workers.INLINE, dir.resolve("resumed"));
        AttentionModel second = new AttentionModel(ModelSpec.preset("linear-1"), 10, 99); // other init: the checkpoint must win
        double[] resumed = MesaTrainer.train(second, LinearDynamics.PAPER, config(10), Workers.INLINE, dir.resolve("resumed"));

        assertThat(resumed).containsExactly(all);
        List<Parameter> a = straight.parameters(), b = second.parameters();
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i).value()).containsExactly(a.get(i).value());
        assertThat(Files.readAllLines(dir.resolve("resumed").resolve("metrics.jsonl"))).hasSize(10);

        MesaTrainer.Trained loaded = MesaTrainer.load(dir.resolve("straight"));
        assertThat(loaded.model().parameters().get(0).value()).containsExactly(a.get(0).value());
        assertThat(loaded.task()).isEqualTo(LinearDynamics.PAPER);
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused(@TempDir Path dir) {
        MesaTrainer.train(new AttentionModel(ModelSpec.preset("linear-1"), 10, 2), LinearDynamics.PAPER, config(1), Workers.INLINE, dir);
        assertThatThrownBy(() -> MesaTrainer.train(new AttentionModel(ModelSpec.preset("mesa-1"), 10, 2), LinearDynamics.PAPER, config(2), Workers.INLINE, dir))
                .hasMessageContaining("holds model linear-1");
        assertThatThrownBy(() -> MesaTrainer.load(dir.resolve("nothing"))).hasMessageContaining("no checkpoint.safetensors");
    }
}
