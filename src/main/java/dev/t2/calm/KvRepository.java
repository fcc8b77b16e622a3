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
 * The miniature's key-value repository: random two-letter keys with values 0–9, and the split CALM's paper uses:
 * the composition data D_C may use a fraction of the keys (20 %), evaluation uses only the others.
 */
public record KvRepository(Map<String, Integer> values, List<String> compositionKeys, List<String> heldOutKeys) {

    public static KvRepository random(int keys, double compositionFraction, long seed) {
        if (keys < 2 || keys > 26 * 26) throw new IllegalArgumentException("between 2 and 676 two-letter keys, not " + keys);
        Random rnd = new Random(seed);
        Set<String> names = new TreeSet<>();
        while (names.size() < keys) names.add("" + (char) ('a' + rnd.nextInt(26)) + (char) ('a' + rnd.nextInt(26)));
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, rnd);
        Map<String, Integer> values = new LinkedHashMap<>();
        for (String k : shuffled) values.put(k, rnd.nextInt(10));
        int forComposition = Math.max(1, (int) Math.round(keys * compositionFraction));
        return new KvRepository(values, List.copyOf(shuffled.subList(0, forComposition)), List.copyOf(shuffled.subList(forComposition, keys)));
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
