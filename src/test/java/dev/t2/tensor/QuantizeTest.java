package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizeTest {

    @Test
    void q8_0IsBitExactWithGgmlsReferenceFormula() {
        float[] x = testValues(4096, 1);
        byte[] q = Quantize.q8_0(x);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            float d = amax / 127f;
            float id = d == 0 ? 0 : 1 / d;
            assertThat(f16At(q, b * 34)).isEqualTo(Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) {
                // roundf = round half away from zero, done here with BigDecimal independently of the implementation.
                int expected = new BigDecimal(x[b * 32 + j] * id).setScale(0, RoundingMode.HALF_UP).intValueExact();
                assertThat(q[b * 34 + 2 + j]).as("block %d element %d", b, j).isEqualTo((byte) expected);
            }
        }
    }

    @Test
    void q8_0RoundsHalfAwayFromZeroLikeRoundf() {
        float[] x = new float[32];
        x[0] = 127; // d = 1 exactly, so x/d keeps the .5 ties
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = -0.5f;
        x[4] = 0.5f;
        byte[] q = Quantize.q8_0(x);
        assertThat(new byte[] {q[2], q[3], q[4], q[5], q[6], q[7]}).containsExactly(127, 3, -3, -1, 1, 0);
    }

    @Test
    void q4_0IsBitExactWithGgmlsReferenceFormula() {
        float[] x = testValues(4096, 2);
        byte[] q = Quantize.q4_0(x);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0, max = 0;
            for (int j = 0; j < 32; j++) {
                float v = x[b * 32 + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d == 0 ? 0 : 1 / d;
            assertThat(f16At(q, b * 18)).isEqualTo(Float.floatToFloat16(d));
            for (int j = 0; j < 32; j++) {
                int expected = Math.min(15, (int) Math.floor(x[b * 32 + j] * id + 8.5f));
                int stored = q[b * 18 + 2 + (j % 16)] >> (j < 16 ? 0 : 4) & 0xF;
                assertThat(stored).as("block %d element %d", b, j).isEqualTo(expected);
            }
        }
    }

    @Test
    void q4_0KeepsTheSignOfTheLargestMagnitudeAndClampsTo15() {
        float[] x = new float[32];
        x[0] = -8; // max by magnitude is negative: d = 1, so -8 maps to 0 and +8 would need 16
        x[1] = 8;
        x[2] = 7;
        x[3] = -0.5f;
        byte[] q = Quantize.q4_0(x);
        assertThat(Float.float16ToFloat(f16At(q, 0))).isEqualTo(1f);
        assertThat(q[2] & 0xF).isEqualTo(0);
        assertThat(q[3] & 0xF).isEqualTo(15);
        assertThat(q[4] & 0xF).isEqualTo(15);
        assertThat(q[5] & 0xF).isEqualTo(8);
    }

    @Test
    void dequantizedValuesAreWithinTheQuantizationError() {
        float[] x = testValues(2048, 3);
        Tensor q8 = Quantize.encode("q8", DType.Q8_0, x, 64, 32);
        Tensor q4 = Quantize.encode("q4", DType.Q4_0, x, 64, 32);
        for (int b = 0; b < x.length / 32; b++) {
            float amax = 0, max = 0;
            for (int j = 0; j < 32; j++) {
                float v = x[b * 32 + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d8 = amax / 127, d4 = Math.abs(max / 8);
            // Half a step, plus what rounding the scale to f16 moves the largest code.
            double bound8 = d8 / 2 + 127 * Math.abs(d8 - Float.float16ToFloat(Float.floatToFloat16(d8))) + 1e-7;
            double bound4 = d4 + 8 * Math.abs(d4 - Math.abs(Float.float16ToFloat(Float.floatToFloat16(d4)))) + 1e-7;
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                assertThat((double) Math.abs(q8.getFloat(i) - x[i])).as("q8 %d", i).isLessThanOrEqualTo(bound8);
                assertThat((double) Math.abs(q4.getFloat(i) - x[i])).as("q4 %d", i).isLessThanOrEqualTo(bound4);
            }
        }
        assertThat(q8.rows()).isEqualTo(64);
        assertThat(q8.data().byteSize()).isEqualTo(2048 / 32 * 34);
    }

    @Test
    void zeroBlocksQuantizeToZero() {
        float[] zeros = new float[64];
        for (DType t : new DType[] {DType.Q8_0, DType.Q4_0}) {
            for (float v : Quantize.encode("z", t, zeros, 64).toFloatArray()) assertThat(v == 0).as("%s gives %s", t, v).isTrue();
        }
    }

    @Test
    void lengthMustBeWholeBlocks() {
        assertThatThrownBy(() -> Quantize.q8_0(new float[33])).hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> Quantize.q4_0(new float[31])).hasMessageContaining("multiple of 32");
    }

    /** Gaussian values with per-block scales spanning several magnitudes, plus exact ties and zeros. */
    private static float[] testValues(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int b = 0; b < n / 32; b++) {
            float scale = (float) Math.pow(10, rnd.nextInt(7) - 4);
            for (int j = 0; j < 32; j++) x[b * 32 + j] = (float) rnd.nextGaussian() * scale;
        }
        for (int j = 0; j < 32; j++) x[j] = j - 16; // integers: exact halves after scaling in Q8_0/Q4_0
        return x;
    }

    private static short f16At(byte[] q, int at) {
        return (short) ((q[at] & 0xFF) | q[at + 1] << 8);
    }
}
