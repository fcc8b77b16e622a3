package dev.t2.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theEtaOfAResumedRunCountsOnlyTheUnitsThisRunDid() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(5 * SECOND);
        Progress progress = new Progress("pretrain", 1200, new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        progress.resumed(600);
        assertThat(lastLine(bytes)).contains("600/1200 resumed").contains("ETA ?"); // no rate measured yet, not "ETA 0s"
        now.addAndGet(20 * SECOND); // 10 steps of this run in 20 s: 590 left take 1180 s
        progress.advance(10, "loss 0.2");
        assertThat(lastLine(bytes)).contains("610/1200 loss 0.2").contains("elapsed 20s, ETA 19m40s");
    }

    @Test
    void aFreshRunsEtaIsTheRateTimesWhatIsLeftAndZeroAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        Progress progress = new Progress("svd", 4, new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        now.addAndGet(3 * SECOND);
        progress.advance(1, null);
        assertThat(lastLine(bytes)).contains("1/4").contains("elapsed 3s, ETA 9s");
        now.addAndGet(9 * SECOND);
        progress.advance(3, null);
        assertThat(lastLine(bytes)).contains("4/4").contains("elapsed 12s, ETA 0s");
    }

    private static String lastLine(ByteArrayOutputStream bytes) {
        String all = bytes.toString(StandardCharsets.UTF_8).stripTrailing();
        return all.substring(all.lastIndexOf('\r') + 1);
    }
}
