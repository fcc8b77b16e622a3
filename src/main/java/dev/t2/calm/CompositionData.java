package dev.t2.calm;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What the composition data D_C holds over the composition keys. The paper's text (§4.1) takes D_C from its KV-substitution
 * data, which in the miniature teaches the composition to answer values past m_B (KV-arithmetic 0.5 %); KV-arithmetic alone
 * leaves KV-substitution untrained (0.5 %). MIXED, the standard, holds both, and gets the paper's whole CALM column.
 */
public enum CompositionData {
    ARITHMETIC("arithmetic", "KV-arithmetic chains"),
    SUBSTITUTION("substitution", "KV-substitution chains"),
    MIXED("mixed", "chains half KV-substitution, half KV-arithmetic");

    private final String option, description;

    CompositionData(String option, String description) {
        this.option = option;
        this.description = description;
    }

    /** The name the CLI takes. */
    public String option() {
        return option;
    }

    /** What D_C's chains are, for the report. */
    public String description() {
        return description;
    }

    public static CompositionData parse(String option) {
        return Arrays.stream(values()).filter(d -> d.option.equals(option)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "composition data must be one of " + Arrays.stream(values()).map(CompositionData::option).toList() + ", got '" + option + "'"));
    }

    /**
     * {@code n} chains over {@code keys}; the operands and operators drawn from {@code rnd} are the same whatever D_C holds,
     * so the data drawn after D_C (the evaluation chains) is too; {@code mixing} picks the substitution half of MIXED.
     */
    public List<KvItem> draw(KvRepository repository, List<String> keys, int n, Random rnd, Random mixing) {
        return IntStream.range(0, n).mapToObj(i -> KvItem.random(KvTask.KV_ARITHMETIC, repository, keys, rnd)).map(item -> switch (this) {
            case ARITHMETIC -> item;
            case SUBSTITUTION -> item.as(KvTask.SUBSTITUTION, repository);
            case MIXED -> mixing.nextBoolean() ? item.as(KvTask.SUBSTITUTION, repository) : item;
        }).toList();
    }
}
