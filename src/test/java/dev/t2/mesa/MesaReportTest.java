package dev.t2.mesa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MesaReportTest {

    @Test
    void risingBeforeTheReadOutIgnoresOnlyTheLastLayer() {
        // rows: layers (0 = tokens), columns: positions; position 1 is the one tested
        assertThat(MesaReport.risesBeforeReadOut(new double[][] {{0, .15}, {0, .20}, {0, .28}, {0, .36}, {0, .32}}, 1)).isTrue();
        assertThat(MesaReport.risesBeforeReadOut(new double[][] {{0, .15}, {0, .20}, {0, .19}, {0, .36}, {0, .40}}, 1)).isFalse();
        assertThat(MesaReport.risesBeforeReadOut(new double[][] {{0, .15}, {0, .14}, {0, .13}}, 1)).isFalse();
        assertThat(MesaReport.risesBeforeReadOut(new double[][] {{0, .15}, {0, .20}, {0, .10}}, 1)).isTrue();
        assertThat(MesaReport.risesBeforeReadOut(new double[][] {{0, .15}, {0, .20}}, 1)).isFalse(); // one layer is only a read-out
    }
}
