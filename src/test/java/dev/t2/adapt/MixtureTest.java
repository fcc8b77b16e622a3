package dev.t2.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MixtureTest {
    @Test
    void labelNamesTheBaseASingleExpertOrEveryWeightByName() {
        assertThat(Mixture.base("other").label()).isEqualTo("base");
        assertThat(new Mixture(Map.of("math", 1.0), "").label()).isEqualTo("math");
        assertThat(new Mixture(Map.of("math", 0.5), "").label()).isEqualTo("math 0.50");
        assertThat(new Mixture(Map.of("reasoning", 0.25, "code", 0.75), "").label()).isEqualTo("code 0.75 + reasoning 0.25");
    }
}
