package dev.t2.calm;

import dev.t2.tasks.Evaluation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The miniature's outcome as the CALM section of REPORT.md: setup, probe, the 3×3 table beside the paper's, ablations. */
public final class KvArithmeticReport {
    /** Table 1 of the paper (accuracy %): m_A, m_B, CALM per task. */
    private static final Map<KvTask, double[]> PAPER = Map.of(KvTask.SUBSTITUTION, new double[] {98.1, 0.0, 92.9},
            KvTask.NUMERIC, new double[] {4.2, 73.7, 72.0}, KvTask.KV_ARITHMETIC, new double[] {0.7, 0.0, 84.3});

    /** Held-out whole-chain accuracy above which a composition counts as doing what neither model can. */
    private static final double KEY_RESULT = 0.7;

    private KvArithmeticReport() {}

    /** What reached the paper's pattern and what did not, read off the numbers. */
    static String findings(KvArithmeticExperiment.Outcome o) {
        var rows = o.rows();
        int n = o.config().evalItems();
        double a = rows.get(0).accuracy().get(KvTask.KV_ARITHMETIC), b = rows.get(1).accuracy().get(KvTask.KV_ARITHMETIC);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "- Base models: m_A %s KV-substitution (%.1f %%), m_B %s numeric arithmetic (%.1f %%); neither does KV-arithmetic"
                        + " (%.1f %%, %.1f %%), as in the paper.%n", verdict(rows.get(0).accuracy().get(KvTask.SUBSTITUTION)),
                100 * rows.get(0).accuracy().get(KvTask.SUBSTITUTION), verdict(rows.get(1).accuracy().get(KvTask.NUMERIC)),
                100 * rows.get(1).accuracy().get(KvTask.NUMERIC), 100 * a, 100 * b));
        for (int r = 2; r <= 3; r++) {
            var row = rows.get(r);
            double kv = row.accuracy().get(KvTask.KV_ARITHMETIC), numeric = row.accuracy().get(KvTask.NUMERIC), seen = row.kvArithmeticOnCompositionKeys();
            s.append(String.format(Locale.ROOT, "- %s: KV-arithmetic %.1f %% on keys it never saw in D_C (%.1f %% on D_C's own keys; the first"
                            + " key's value read right in %.1f %% of held-out chains, chance 10 %%) — %s; numeric"
                            + " arithmetic %.1f %% (m_B %.1f %%) — %s.%n", row.reader(), 100 * kv, 100 * seen, 100 * row.firstValueOfHeldOutKey(),
                    composition(kv, seen, Math.max(a, b), n),
                    100 * numeric, 100 * rows.get(1).accuracy().get(KvTask.NUMERIC),
                    keeps(numeric, rows.get(1).accuracy().get(KvTask.NUMERIC))));
        }
        double best = Math.max(rows.get(2).accuracy().get(KvTask.KV_ARITHMETIC), rows.get(3).accuracy().get(KvTask.KV_ARITHMETIC));
        double random = rows.get(4).accuracy().get(KvTask.KV_ARITHMETIC), lora = rows.get(5).accuracy().get(KvTask.KV_ARITHMETIC);
        s.append(String.format(Locale.ROOT, "- Ablations on held-out keys: random m_A %.1f %%, LoRA on m_B %.1f %% KV-arithmetic (on D_C's own keys %.1f %% and"
                        + " %.1f %%): %s%n", 100 * random, 100 * lora, 100 * rows.get(4).kvArithmeticOnCompositionKeys(),
                100 * rows.get(5).kvArithmeticOnCompositionKeys(),
                !clearlyAbove(best, Math.max(a, b), n)
                        ? "no composed reader reaches the held-out keys either, so the ablations have no result to explain."
                        : clearlyAbove(best, Math.max(random, lora), n)
                        ? "what the composition gets right on unseen keys comes from m_A, not from fitting D_C (as the paper's ablations show)."
                        : "they do as well as the composition, so its result cannot be credited to m_A."));
        var positional = rows.get(6);
        s.append(String.format(Locale.ROOT, "- %s (the paper's pairs, the variant's cross-attention): KV-arithmetic %.1f %% of held-out chains"
                        + " whole (first answer %.1f %%; CALM %.1f %%, the variant %.1f %%), numeric arithmetic %.1f %% — %s.%n", positional.reader(),
                100 * positional.accuracy().get(KvTask.KV_ARITHMETIC), 100 * positional.firstValueOfHeldOutKey(),
                100 * rows.get(2).accuracy().get(KvTask.KV_ARITHMETIC), 100 * rows.get(3).accuracy().get(KvTask.KV_ARITHMETIC), 100 * positional.accuracy().get(KvTask.NUMERIC),
                clearlyAbove(positional.accuracy().get(KvTask.KV_ARITHMETIC), rows.get(2).accuracy().get(KvTask.KV_ARITHMETIC), n)
                        ? "positions in the cross-attention carry much of what the variant gains over the paper's connection"
                        : "positions alone do not lift the paper's connection"));
        s.append(String.format(Locale.ROOT, "- Final loss on D_C (mean cross-entropy per answer digit): %s.%n", String.join(", ",
                o.trainingLoss().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue())).toList())));
        double calmFirst = rows.get(2).firstValueOfHeldOutKey(), variantFirst = rows.get(3).firstValueOfHeldOutKey();
        double unaided = Math.max(0.1, Math.max(rows.get(1).firstValueOfHeldOutKey(), Math.max(rows.get(4).firstValueOfHeldOutKey(),
                rows.get(5).firstValueOfHeldOutKey())));
        boolean reads = clearlyAbove(calmFirst, unaided, n) && clearlyAbove(variantFirst, unaided, n);
        if (reads) s.append(String.format(Locale.ROOT, """
                - Reading versus computing: the first answer of a chain is the first key's value alone. On unseen keys CALM gets it
                  right in %.1f %% and the variant in %.1f %% of chains (m_B %.1f %%, random m_A %.1f %%, LoRA %.1f %%, chance 10 %%), so
                  both compositions do read values out of m_A for keys D_C never showed. Combining each later key's value with the
                  running result: CALM %s; the variant %s (m_B, each answer given the right running result: %.1f %%).
                """, 100 * calmFirst, 100 * variantFirst, 100 * rows.get(1).firstValueOfHeldOutKey(), 100 * rows.get(4).firstValueOfHeldOutKey(),
                100 * rows.get(5).firstValueOfHeldOutKey(), combining(rows.get(2)), combining(rows.get(3)), 100 * rows.get(1).answerGivenRightRunningResult()));
        double calmWhole = rows.get(2).accuracy().get(KvTask.KV_ARITHMETIC), positionalWhole = positional.accuracy().get(KvTask.KV_ARITHMETIC);
        // the reason is stated only where this run's positional reader bears it out
        if (!clearlyAbove(calmWhole, Math.max(a, b), n) && clearlyAbove(positionalWhole, calmWhole, n)) s.append(String.format(Locale.ROOT, """
                - Why the paper's own connection does worse on whole chains: its cross-attention has no positions, so deep in a chain
                  the query must single out the current key among all earlier m_A states by content, from m_B states that never
                  saw a letter. Given positions (queries and keys rotated by their shared token positions, states RMS-normalised),
                  the same pairs read %.1f %% of held-out chains whole (above). It also adds m_A's information after m_B's first
                  layer, while this 4-layer m_B starts combining the operand with the running result in that very layer: the
                  variant, the same positional cross-attention entering before m_B's first layer, reads %.1f %%. Both are options
                  of `dev.t2.calm` (`CompositionConfig.positional`, anchor layer -1), off by default; the PaLM2 models of the
                  paper are deep, general, and had read such strings.
                """, 100 * positionalWhole, 100 * rows.get(3).accuracy().get(KvTask.KV_ARITHMETIC)));
        if (o.config().equals(KvArithmeticExperiment.Config.standard())) s.append("""
                - What D_C holds (the paper's text: "examples from the KV-Substitution dataset D_KV-SUBS that only span 20% of
                  the keys", §4.1, so KV-arithmetic is never trained; the reproduction was specified with KV-arithmetic chains).
                  Seed 1, the variant, 4000 steps, held-out keys, KV-substitution / numeric arithmetic / KV-arithmetic, % of
                  chains (exploratory, not regenerated by the command): KV-substitution chains only 95.5 / 0.5 / 0.5 (keys only)
                  and 92.0 / 1.0 / 0.5 (a quarter of the operands numbers) — the composition learns to put each value out past
                  m_B's arithmetic, under the marker A too, so the paper's zero-shot KV-arithmetic does not appear in the
                  miniature; KV-arithmetic chains only (4,000, the previous standard) 0.5 / 100.0 / 86.0, seeds
                  2 and 3: KV-arithmetic 90.5 / 87.5 % (the paper's CALM 2.5 / 1.0 / 3.0 %). Half of each (`mixed`) gets the
                  whole column: with 4,000 chains 87.0 / 100.0 / 86.5, 94.0 / 100.0 / 91.0 and 90.5 / 92.5 / 57.0 for seeds
                  1 / 2 / 3 (seed 3's variant read only 75.0 % of KV-arithmetic chains over D_C's own keys: 2,000 arithmetic
                  chains were too few); with 8,000, as many arithmetic chains as the arithmetic-only standard had, the tables above.
                - Positions, measured one part at a time (seed 1, D_C of KV-arithmetic chains only, exploratory): the variant's
                  pairs [3:-1] with the paper's cross-attention 2.5 % of held-out chains whole; with normalised states but no
                  rotation 3.5 % (first answer 58.5 %), the paper's pairs [3:0] so 3.5 % (first answer 71.5 %); with rotation
                  86.0 % and 56.0 %. It is the positions that let the composition single out the current key.
                - Numbers in training, one change at a time (4000 steps, D_C of KV-arithmetic chains only; held-out keys): with
                  m_A reading keys only and D_C holding keys only, the variant got 24.5 % of chains whole and kept numeric
                  arithmetic at 0.5 % (seed 1). With m_A reading numerals too: 96.0 / 87.0 / 73.5 % for seeds 1 / 2 / 3, numeric
                  arithmetic kept at 74.5 / 27.0 / 19.0 %. With a quarter of D_C's operands numbers as well: 86.0 / 90.5 / 87.5 %,
                  numeric 100.0 % for all three — the composition meets numerals in training and leaves them to m_B.
                - Earlier standards (same seeds 1 / 2 / 3; held-out chains whole by the variant; exploratory runs of 2026-11-23 were
                  made before lane sums had one fixed order, so they are not bit-reproducible): with 200 keys the variant learnt
                  D_C's 40 keys by heart (100 % on them, 1.0 % on unseen keys). With 600 two-letter keys and one initialisation
                  it got 6.5 / 25.0 / 6.5 % after 2000 steps, 46.0 / 60.5 / 62.5 % after 16000, and AdamW weight decay did not
                  help (0.1: 14.0 %, 1.0: 35.0 %, none 46.0 %, seed 1). With 2000 three-letter keys (too many to learn by heart)
                  whether it left a loss plateau near 1.7 at all depended on the initialisation (2 of 5 left it within 2000
                  steps on seed 2); with a race of 3 initialisations: 77.0 / 41.5 / 83.5 %; seed 2 was held back by m_A, which had never
                  trained under the marker A (probe of its layer 3 on held-out keys 93.1 %; trained under both markers 100.0 %):
                  91.0 / 97.0 / 95.0 % after 16000 steps, but m_B's numeric skill kept at only 40.0 / 36.5 / 79.5 %, as m_A had
                  never read a number as an operand (hence the numbers above).
                """);
        s.append("""
                - Scale: the paper's models are PaLM2-XXS/XS with n = N_A/4 pairs and its own data; here 4-layer, width-64 models
                  trained from scratch in minutes, arithmetic mod 10, 1 pair.
                """);
        if (o.config().compositionData() == CompositionData.ARITHMETIC) s.append("""
                - KV-Substitution by the composed models stays low (the paper's CALM: 92.9 %): D_C holds no substitution chain
                  (`--composition-data substitution` or `mixed` trains on them).
                """);
        return s.toString();
    }

    /** x is clearly above y, both measured on n chains: x's 95 % Wilson interval lies wholly above y's. */
    private static boolean clearlyAbove(double x, double y, int n) {
        return Evaluation.wilson((int) Math.round(x * n), n)[0] > Evaluation.wilson((int) Math.round(y * n), n)[1];
    }

    /** Whether a composed reader does KV-arithmetic on unseen keys, given its accuracy there, on D_C's keys, and the better base model's. */
    private static String composition(double heldOut, double seen, double baseline, int n) {
        if (heldOut > KEY_RESULT) return "the composition does what neither model can, the paper's key result";
        if (clearlyAbove(heldOut, baseline, n)) {
            return String.format(Locale.ROOT, "the paper's key result is reached only **partly** (paper: %.1f %%): the composition reads"
                    + " some values out of m_A, but much of what it does on D_C it learnt by heart", PAPER.get(KvTask.KV_ARITHMETIC)[2]);
        }
        // "by heart" only where most of D_C's own chains come out right, not for a few points above the base models
        return seen > 0.5 && clearlyAbove(seen, heldOut, n) ? "the paper's key result is **not** reached: the composition learnt D_C's keys by heart"
                : "the paper's key result is **not** reached";
    }

    /** How much of m_B's numeric arithmetic a composed reader keeps: within 10 points of m_B, at least half of it, or less. */
    static String keeps(double composed, double anchor) {
        return composed >= anchor - 0.1 ? "m_B's own skill is kept" : composed >= anchor / 2 ? "m_B's own skill is kept only **partly**"
                : "m_B's own skill is **not** kept";
    }

    /** Whether a composed reader goes on from the first value to whole chains (the bar of {@link #composition}). */
    private static String combining(KvArithmeticExperiment.Row row) {
        double whole = row.accuracy().get(KvTask.KV_ARITHMETIC);
        return String.format(Locale.ROOT, "%s (whole chains %.1f %%, each answer given the right running result %.1f %%)",
                whole > KEY_RESULT ? "does it too" : "fails at it", 100 * whole, 100 * row.answerGivenRightRunningResult());
    }

    private static String verdict(double accuracy) {
        return accuracy >= 0.9 ? "masters" : accuracy >= 0.5 ? "partly learns" : "does not learn";
    }

    /** The first outcome in full; with several (other seeds of the same configuration), their key figures side by side. */
    public static String markdown(List<KvArithmeticExperiment.Outcome> outcomes, String command) {
        String first = markdown(outcomes.getFirst(), command);
        if (outcomes.size() == 1) return first;
        return first + "\n" + seedsTable(outcomes);
    }

    /** Per seed, what the composed readers do on held-out keys: whole chains, the first key's value, each answer teacher-forced. */
    static String seedsTable(List<KvArithmeticExperiment.Outcome> outcomes) {
        StringBuilder s = new StringBuilder("**Seeds** (the same configuration with other seeds of keys, data and initialisations; held-out keys, accuracy %:"
                + " whole KV-arithmetic chains / first answer / each answer given the right running result; numeric arithmetic is m_B's own"
                + " skill after composition, KV-substitution the variant's):\n\n| seed | CALM | CALM variant"
                + " | variant, numeric arithmetic | variant, KV-substitution | random m_A | LoRA on m_B | CALM, positional |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (var o : outcomes) {
            var rows = o.rows();
            s.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %.1f | %s | %s | %s |%n", o.config().seed(), threeWays(rows.get(2)), threeWays(rows.get(3)),
                    100 * rows.get(3).accuracy().get(KvTask.NUMERIC), 100 * rows.get(3).accuracy().get(KvTask.SUBSTITUTION), threeWays(rows.get(4)),
                    threeWays(rows.get(5)), threeWays(rows.get(6))));
        }
        double[] variant = outcomes.stream().mapToDouble(o -> o.rows().get(3).accuracy().get(KvTask.KV_ARITHMETIC)).sorted().toArray();
        s.append(String.format(Locale.ROOT, "%nThe variant's whole chains: mean %.1f %%, range %.1f–%.1f %% over %d seeds (paper: %.1f %%).%n",
                100 * java.util.Arrays.stream(variant).average().orElseThrow(), 100 * variant[0], 100 * variant[variant.length - 1], variant.length,
                PAPER.get(KvTask.KV_ARITHMETIC)[2]));
        return s.toString();
    }

    private static String threeWays(KvArithmeticExperiment.Row row) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", 100 * row.accuracy().get(KvTask.KV_ARITHMETIC), 100 * row.firstValueOfHeldOutKey(),
                100 * row.answerGivenRightRunningResult());
    }

    public static String markdown(KvArithmeticExperiment.Outcome o, String command) {
        var c = o.config();
        StringBuilder s = new StringBuilder();
        int n = o.repository().operandLength();
        String length = n == 2 ? "two" : "three";
        s.append("## CALM: composing two frozen models (key-value arithmetic, paper §4.1)\n\n");
        s.append("Reproduced with `").append(command).append("` (fixed seeds; checkpoints under the work directory let a killed run resume).\n\n");
        s.append(String.format(Locale.ROOT, """
                **Setup (miniature).** A repository of %d random %s-letter keys with values 0–9; %d keys (%.0f %%) may appear in the
                composition data D_C, the other %d only in evaluation. Chains of 3–6 operands joined by + − × are read left to
                right, mod 10; right after each operand comes one answer digit (shown after →; the reader's own answer is fed
                back, so evaluation is generation). KV-Substitution `S %s→3 +%s→7`: each key's value. Numeric-Arithmetic
                `A %s→7 +%s→1`: %s-digit numbers, running result mod 10. KV-Arithmetic `A %s→3 +%s→0`: running result of the
                keys' values.
                m_A and m_B are Llama-architecture models (%d layers, width %d, %d heads) trained from scratch, %d steps of %d
                chains each. m_A on %,d KV-substitution chains over all keys, a quarter of their operands numbers instead of keys
                (a number's value is its last digit: m_A reads numerals, as the paper's pretrained m_A does, but never combines
                values), half of the chains marked A instead of S (so that no token of a KV-arithmetic chain is new to m_A). m_B
                on %,d numeric chains, half of them marked S with each number's value as answers (like the paper's pretrained
                anchor it can rewrite an expression's numbers as well as solve it; it knows no key). The composition
                (pairs %s, %d heads, %,d parameters = n·(D_A·D_B + 4·D_B²)) is trained %d steps%s on D_C, %,d %s
                over the composition keys%s; both base models stay frozen. An item is correct when every answer of its chain is.
                Evaluation: %d chains per task over the held-out keys.

                """, o.repository().values().size(), length, o.repository().compositionKeys().size(), 100 * c.compositionFraction(),
                o.repository().heldOutKeys().size(), "abc".substring(0, n), "cde".substring(0, n), "137".substring(3 - n), "004".substring(3 - n), length,
                "abc".substring(0, n), "cde".substring(0, n),
                c.layers(), c.hidden(), c.heads(), c.baseSteps(), c.batch(), c.baseItems(), c.baseItems(),
                o.pairs().pairs(), o.pairs().heads(), o.compositionParameters(), c.compositionSteps(),
                (c.compositionWeightDecay() > 0 ? String.format(Locale.ROOT, " (AdamW weight decay %s)", c.compositionWeightDecay()) : "")
                        + (c.compositionStarts() > 1 ? String.format(Locale.ROOT, " (the best by training loss of %d initialisations after %d steps)",
                        c.compositionStarts(), c.raceSteps()) : ""),
                c.compositionItems(), c.compositionData().description(), c.compositionNumerals() > 0 ? String.format(Locale.ROOT,
                        ", %.0f %% of their operands numbers instead (the paper's D_C examples hold numbers beside keys:"
                        + " the expression rewritten, or its result)", 100 * c.compositionNumerals()) : "", c.evalItems()));
        s.append("**Linear probe of m_A** (value of the operand from m_A's state at its last letter in KV-arithmetic chains; ridge regression fit on\n"
                + "chains over the composition keys, tested on chains over the held-out keys):\n\n| m_A layer | fit keys | held-out keys |\n|---|---|---|\n");
        o.probe().forEach((layer, acc) -> s.append(String.format(Locale.ROOT, "| %d | %.1f %% | %.1f %% |%n", layer, 100 * acc[0], 100 * acc[1])));
        s.append("\n**Table 1, miniature** (accuracy %, held-out keys; the paper's PaLM2 numbers in brackets):\n\n");
        s.append("| task | m_A | m_B | CALM (paper: pairs " + o.pairs().pairs() + ") | CALM variant (pairs " + o.variant().pairs() + ", positional) |\n|---|---|---|---|---|\n");
        for (KvTask t : KvTask.values()) {
            double[] paper = PAPER.get(t);
            s.append("| ").append(t.title());
            for (int r = 0; r < 3; r++) s.append(String.format(Locale.ROOT, " | %.1f (%.1f)", 100 * o.rows().get(r).accuracy().get(t), paper[r]));
            s.append(String.format(Locale.ROOT, " | %.1f (%.1f)", 100 * o.rows().get(3).accuracy().get(t), paper[2])).append(" |\n");
        }
        s.append("\n**Every reader** (accuracy %; the composed and adapted ones trained on the same D_C for the same steps, the last two are the ablations;"
                + " the \"composition keys\" column is KV-arithmetic over the keys D_C was made of — the gap to the held-out keys is what was learnt"
                + " by heart; the first answer of a held-out KV-arithmetic chain is the first key's value alone, so that column is how often an"
                + " unseen key's value is read, chance 10 %; the last column scores every answer of the held-out KV-arithmetic chains with the"
                + " reference running result fed back, so one operand is read and combined at a time without earlier errors carried on):\n\n"
                + "| reader | trained parameters | KV-Substitution | Numeric-Arithmetic | KV-Arithmetic | KV-Arithmetic, composition keys"
                + " | KV-Arithmetic, first answer | KV-Arithmetic, each answer given the right running result |\n|---|---|---|---|---|---|---|---|\n");
        for (var row : o.rows()) {
            s.append("| ").append(row.reader()).append(String.format(Locale.ROOT, " | %,d", row.trainedParameters()));
            for (KvTask t : KvTask.values()) s.append(String.format(Locale.ROOT, " | %.1f", 100 * row.accuracy().get(t)));
            s.append(String.format(Locale.ROOT, " | %.1f | %.1f | %.1f |%n", 100 * row.kvArithmeticOnCompositionKeys(), 100 * row.firstValueOfHeldOutKey(),
                    100 * row.answerGivenRightRunningResult()));
        }
        s.append("\n**Findings.**\n\n");
        s.append(findings(o));
        s.append("\nTraining time of each stage (s, the sum of the step times its metrics.jsonl logged, raced starts included, evaluation not; 2 cores, shared with other runs when several seeds trained at once): ");
        o.seconds().forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.0f; ", k, v)));
        s.append("\n\nExamples of held-out KV-arithmetic chains (reference answers): ");
        s.append(String.join(", ", o.examples().stream().map(e -> "`" + e + "`").toList())).append("\n");
        return s.toString();
    }
}
