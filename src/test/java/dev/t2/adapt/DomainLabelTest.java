package dev.t2.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainLabelTest {
    @Test
    void everyLabelParsesAndGarbageFallsBackToTheBase() {
        assertThat(DomainLabel.parse("Classification: \\boxed{code}")).isEqualTo(DomainLabel.CODE);
        assertThat(DomainLabel.parse("Classification: \\boxed{ Math }")).isEqualTo(DomainLabel.MATH);
        assertThat(DomainLabel.parse("\\boxed{reasoning} because ...")).isEqualTo(DomainLabel.REASONING);
        assertThat(DomainLabel.parse("\\boxed{\\text{math}}")).isEqualTo(DomainLabel.OTHER); // nested braces are not a plain label
        assertThat(DomainLabel.parse("\\boxed{other}")).isEqualTo(DomainLabel.OTHER);
        assertThat(DomainLabel.parse("first \\boxed{math} then \\boxed{code}")).as("the first box decides").isEqualTo(DomainLabel.MATH);
        assertThat(DomainLabel.parse("it is about code")).isEqualTo(DomainLabel.OTHER);
        assertThat(DomainLabel.parse("\\boxed{poetry}")).isEqualTo(DomainLabel.OTHER);
        assertThat(DomainLabel.parse("")).isEqualTo(DomainLabel.OTHER);
        assertThat(DomainLabel.parse(null)).isEqualTo(DomainLabel.OTHER);
        assertThat(DomainLabel.MATH.label()).isEqualTo("math");
    }
}
