package dev.t2.calm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The miniature's key-value repository: random lowercase keys with values 0–9, and the split CALM's paper uses:
 * the composition data D_C may use a fraction of the keys (20 %), evaluation uses only the others. Keys are two letters,
 * or as many more as the repository's size needs (three letters beyond 676 keys); numbers in the numeric task have as
 * many digits, so every operand of every task is equally long.
 */
public record KvRepository(Map<String, Integer> values, List<String> compositionKeys, List<String> heldOutKeys) {
    /** Three-letter keys at most: chains of six operands then still fit the miniature's 64 positions. */
    public static final int MAX_KEYS = 26 * 26 * 26;

    /** Letters per key for a repository of this many keys: two, or three when two-letter keys run out. */
    public static int keyLength(int keys) {
        return keys <= 26 * 26 ? 2 : 3;
    }

    public static KvRepository random(int keys, double compositionFraction, long seed) {
        if (keys < 2 || keys > MAX_KEYS) throw new IllegalArgumentException("between 2 and " + MAX_KEYS + " keys, not " + keys);
        int length = keyLength(keys);
        Random rnd = new Random(seed);
        Set<String> names = new TreeSet<>();
        while (names.size() < keys) {
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < length; i++) name.append((char) ('a' + rnd.nextInt(26)));
            names.add(name.toString());
        }
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, rnd);
        Map<String, Integer> values = new LinkedHashMap<>();
        for (String k : shuffled) values.put(k, rnd.nextInt(10));
        int forComposition = Math.max(1, (int) Math.round(keys * compositionFraction));
        return new KvRepository(values, List.copyOf(shuffled.subList(0, forComposition)), List.copyOf(shuffled.subList(forComposition, keys)));
    }

    /** Characters of every key, and digits of every number in the numeric task. */
    public int operandLength() {
        return compositionKeys.getFirst().length();
    }

    public List<String> allKeys() {
        return List.copyOf(values.keySet());
    }

    public int value(String key) {
        Integer v = values.get(key);
        if (v == null) throw new IllegalArgumentException("no key '" + key + "' in the repository");
        return v;
    }
}
