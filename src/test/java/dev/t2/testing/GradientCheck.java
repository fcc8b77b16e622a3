package dev.t2.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2.model.Parameter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

/** Central finite differences along a random unit direction per parameter tensor, against the analytic gradient. */
public final class GradientCheck {
    private GradientCheck() {}

    /** Copies of every parameter's current gradient (finite-difference runs add to .grad() afterwards). */
    public static Map<Parameter, float[]> snapshot(List<Parameter> params) {
        Map<Parameter, float[]> out = new HashMap<>();
        for (Parameter p : params) out.put(p, p.grad().clone());
        return out;
    }

    /**
     * For each parameter: |(L(θ+εu) − L(θ−εu))/2ε − g·u| < absTol + relTol·|g·u| with u a random unit direction.
     * {@code loss} recomputes the loss at the parameters' current values.
     */
    public static void directional(String label, List<Parameter> params, Map<Parameter, float[]> grads, DoubleSupplier loss,
                                   Random rnd, double eps, double absTol, double relTol) {
        for (Parameter p : params) {
            float[] dir = new float[p.size()];
            double norm = 0, analytic = 0;
            for (int i = 0; i < dir.length; i++) norm += (dir[i] = (float) rnd.nextGaussian()) * dir[i];
            for (int i = 0; i < dir.length; i++) analytic += grads.get(p)[i] * (dir[i] /= (float) Math.sqrt(norm));
            float[] saved = p.value().clone();
            for (int i = 0; i < dir.length; i++) p.value()[i] = (float) (saved[i] + eps * dir[i]);
            double plus = loss.getAsDouble();
            for (int i = 0; i < dir.length; i++) p.value()[i] = (float) (saved[i] - eps * dir[i]);
            double minus = loss.getAsDouble();
            System.arraycopy(saved, 0, p.value(), 0, saved.length);
            double numeric = (plus - minus) / (2 * eps);
            assertThat(Math.abs(numeric - analytic)).as("%s: d/d%s numeric %.6f analytic %.6f", label, p.name(), numeric, analytic)
                    .isLessThan(absTol + relTol * Math.abs(analytic));
        }
    }
}
