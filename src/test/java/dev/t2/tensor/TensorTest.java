package dev.t2.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void bf16RoundsToNearestEven() {
        // 1 + 2^-8 lies exactly between two bf16 values; ties go to the even mantissa (1.0).
        assertThat(Floats.roundBf16(1f + 0x1p-8f)).isEqualTo(1f);
        assertThat(Floats.roundBf16(1f + 0x1p-8f + 0x1p-12f)).isEqualTo(1f + 0x1p-7f);
        assertThat(Float.isNaN(Floats.roundBf16(Float.NaN))).isTrue();
        assertThat(Floats.roundBf16(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void encodedTensorsReadBackTheirValues() {
        Random rnd = new Random(1);
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        for (DType t : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            Tensor tensor = Tensor.encode("w", t, v, 8, 8);
            assertThat(tensor.rows()).isEqualTo(8);
            assertThat(tensor.cols()).isEqualTo(8);
            for (int i = 0; i < v.length; i++) {
                float tol = t == DType.F32 ? 0 : t == DType.F16 ? 1e-3f * Math.abs(v[i]) + 1e-4f : 8e-3f * Math.abs(v[i]);
                assertThat(tensor.getFloat(i)).as("%s[%d]", t, i).isCloseTo(v[i], org.assertj.core.data.Offset.offset(tol));
            }
        }
    }

    @Test
    void wrongByteSizeIsRejectedWithTheTensorName() {
        var seg = java.lang.foreign.MemorySegment.ofArray(new byte[10]);
        assertThatThrownBy(() -> new Tensor("model.layers.0.mlp.up_proj.weight", DType.BF16, new long[] {2, 3}, seg))
                .hasMessageContaining("model.layers.0.mlp.up_proj.weight")
                .hasMessageContaining("needs 12 bytes");
    }
}
