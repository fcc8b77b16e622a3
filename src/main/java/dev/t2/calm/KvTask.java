package dev.t2.calm;

/**
 * The three tasks of CALM's key-value experiment (paper §4.1), written as left-to-right chains with mod-10 arithmetic:
 * right after each operand comes one digit, the reader's answer for that step (shown after an arrow, which is no token).
 * <ul>
 *   <li>SUBSTITUTION "S ab→3 +cd→7": each key's value (what m_A learns);
 *   <li>NUMERIC "A 37→7 +04→1 *92→2": numbers with as many digits as the keys have letters (two by default), the running result mod 10 of their last digits (what m_B learns);
 *   <li>KV_ARITHMETIC "A ab→3 +cd→0": keys, the running result of their values (what only the composition can do).
 * </ul>
 */
public enum KvTask {
    SUBSTITUTION("KV-Substitution"), NUMERIC("Numeric-Arithmetic"), KV_ARITHMETIC("KV-Arithmetic");

    private final String title;

    KvTask(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    int marker() {
        return this == SUBSTITUTION ? KvVocabulary.SUBSTITUTE : KvVocabulary.ARITHMETIC;
    }
}
