package dev.t2.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2.model.Parameter;
import dev.t2.model.TrainableWeights;
import dev.t2.rl.CosineSchedule;
import dev.t2.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Best-of-starts composition training: the race, the choice by training loss, and resuming to the same result. */
class CompositionTrainerTest {
    static final TinyPair PAIR = TinyPair.create(DType.F32);
    static final TargetedTraining.Config CONFIG = new TargetedTraining.Config(12, 4, new CosineSchedule(2, 12, 1e-2f, 1e-3f), 0f, 1f, 5, 9);

    static List<TargetedTraining.Sequence> data() {
        Random rnd = new Random(1);
        List<TargetedTraining.Sequence> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] prompt = {1, 3 + rnd.nextInt(20), 3 + rnd.nextInt(20), 3 + rnd.nextInt(20)};
            out.add(TargetedTraining.Sequence.promptAndAnswer(prompt, new int[] {prompt[1] % 7 + 3}));
        }
        return out;
    }

    static CompositionTrainer.Trained train(int starts, Path dir) throws Exception {
        return CompositionTrainer.trainBestOfStarts(PAIR::trainedLooking, 4, starts, 3, TrainableWeights.frozen(PAIR.anchorConfig(), PAIR.anchorWeights()),
                PAIR.augment(), data(), CONFIG, dir);
    }

    @Test
    void theStartWithTheLowestRaceLossTrainsOnAndAResumeChoosesItAgain(@TempDir Path tmp) throws Exception {
        var trained = train(3, tmp);
        double[] raceLoss = new double[3];
        for (int k = 0; k < 3; k++) {
            Path metrics = tmp.resolve("start-" + k + "/metrics.jsonl");
            raceLoss[k] = CompositionTrainer.meanLoss(tmp.resolve("start-" + k), 0, 3);
            assertThat(Files.readAllLines(metrics)).hasSize(k == trained.start() ? 12 : 3); // only the chosen one goes on
        }
        for (int k = 0; k < 3; k++) assertThat(raceLoss[trained.start()]).isLessThanOrEqualTo(raceLoss[k]);
        assertThat(raceLoss).doesNotHaveDuplicates(); // the starts differ, so the choice means something
        assertThat(tmp.resolve("checkpoint.safetensors")).doesNotExist();
        double logged = 0; // every logged step of every start, summed independently of the code under test
        for (int k = 0; k < 3; k++) {
            for (String line : Files.readAllLines(tmp.resolve("start-" + k + "/metrics.jsonl"))) {
                logged += Double.parseDouble(line.replaceAll(".*\"seconds\":([0-9.Ee-]+).*", "$1"));
            }
        }
        assertThat(logged).isPositive();
        assertThat(CompositionTrainer.loggedSeconds(tmp, 3)).isCloseTo(logged, org.assertj.core.api.Assertions.within(1e-9));

        var resumed = train(3, tmp);
        assertThat(CompositionTrainer.loggedSeconds(tmp, 3)).as("a resume that trains nothing adds no time").isCloseTo(logged,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(resumed.start()).isEqualTo(trained.start());
        assertThat(resumed.loss()).isEqualTo(trained.loss());
        List<Parameter> a = trained.composition().parameters(), b = resumed.composition().parameters();
        for (int i = 0; i < a.size(); i++) assertThat(b.get(i).value()).as(a.get(i).name()).containsExactly(a.get(i).value());
    }

    @Test
    void oneStartTrainsInTheDirectoryItselfAsPlainTrainingDoes(@TempDir Path tmp) throws Exception {
        var one = train(1, tmp.resolve("one"));
        Composition plain = PAIR.trainedLooking(4);
        double loss = CompositionTrainer.train(plain, TrainableWeights.frozen(PAIR.anchorConfig(), PAIR.anchorWeights()), PAIR.augment(), data(), CONFIG,
                tmp.resolve("plain"));
        assertThat(one.start()).isZero();
        assertThat(one.loss()).isEqualTo(loss);
        assertThat(tmp.resolve("one/checkpoint.safetensors")).exists();
        assertThat(Files.mismatch(tmp.resolve("one/checkpoint.safetensors"), tmp.resolve("plain/checkpoint.safetensors"))).isEqualTo(-1L);
    }

    @Test
    void refusesARaceThatDoesNotFitTheTraining(@TempDir Path tmp) {
        var anchor = TrainableWeights.frozen(PAIR.anchorConfig(), PAIR.anchorWeights());
        assertThatThrownBy(() -> CompositionTrainer.trainBestOfStarts(PAIR::trainedLooking, 4, 2, 12, anchor, PAIR.augment(), data(), CONFIG, tmp))
                .hasMessageContaining("a race of 12 steps does not fit a training of 12");
        assertThatThrownBy(() -> CompositionTrainer.trainBestOfStarts(PAIR::trainedLooking, 4, 0, 3, anchor, PAIR.augment(), data(), CONFIG, tmp))
                .hasMessageContaining("at least one start");
    }
}
