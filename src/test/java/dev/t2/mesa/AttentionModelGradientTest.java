package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.Parameter;
import dev.t2.testing.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every parameter's hand-written gradient against central finite differences, for each layer kind and a mixed stack. */
class AttentionModelGradientTest {
    private static final LinearDynamics SMALL = new LinearDynamics(3, 6, 0.01);

    private static void check(List<AttentionKind> kinds, TokenLayout tokens) {
        ModelSpec spec = new ModelSpec("test", tokens, kinds, 2, 3, 0.4f);
        AttentionModel model = new AttentionModel(spec, 3, 7);
        for (AttentionLayer l : model.layers()) {
            if (l.kind() == AttentionKind.MESA) l.logLambda().value()[1] = -0.7f; // two different λ
        }
        Sequences data = SMALL.sample(3, 11);
        model.lossAndGradient(data, Workers.INLINE);
        Map<Parameter, float[]> grads = GradientCheck.snapshot(model.parameters());
        double gradNorm = 0;
        for (float[] g : grads.values()) for (float x : g) gradNorm += x * x;
        assertThat(gradNorm).as("a gradient that is all zero checks nothing").isGreaterThan(1e-6);
        for (int repeat = 0; repeat < 3; repeat++) {
            GradientCheck.directional(kinds + " " + tokens, model.parameters(), grads, () -> model.loss(data, Workers.INLINE),
                    new Random(repeat), 1e-2, 2e-4, 2e-2);
        }
    }

    @Test
    void linearAttention() {
        check(List.of(AttentionKind.LINEAR), TokenLayout.CONSTRUCTED);
    }

    @Test
    void softmaxAttention() {
        check(List.of(AttentionKind.SOFTMAX), TokenLayout.RAW);
    }

    @Test
    void mesaLayerIncludingLambda() {
        check(List.of(AttentionKind.MESA), TokenLayout.CONSTRUCTED);
    }

    @Test
    void mixedStackThroughTheResidualStream() {
        check(List.of(AttentionKind.SOFTMAX, AttentionKind.MESA, AttentionKind.LINEAR), TokenLayout.RAW);
    }

    @Test
    void threadsDoNotChangeTheResult() {
        AttentionModel model = new AttentionModel(ModelSpec.preset("linear-2"), 10, 3);
        Sequences data = LinearDynamics.PAPER.sample(70, 5);
        double inline = model.lossAndGradient(data, Workers.INLINE);
        float[] g = model.parameters().get(0).grad().clone();
        double threaded = model.lossAndGradient(data, new Workers(2));
        assertThat(threaded).isEqualTo(inline);
        assertThat(model.parameters().get(0).grad()).containsExactly(g);
    }
}
