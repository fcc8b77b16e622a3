package dev.t2.tasks;

import java.math.BigInteger;
import java.util.List;

/**
 * CPython's {@code random.Random} for integer seeds: MT19937 seeded by {@code init_by_array} and
 * {@code shuffle} through {@code _randbelow} on {@code getrandbits}. Reproduces {@code random.seed(s);
 * random.shuffle(xs)} element for element, so our seeded splits are the reference's splits.
 */
public final class PythonRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int index;

    /** As {@code random.seed(seed)}: the absolute value's 32-bit words, least significant first, are the key. */
    public PythonRandom(long seed) {
        BigInteger n = BigInteger.valueOf(seed).abs();
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) key[i] = n.shiftRight(32 * i).intValue();
        initByArray(key);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i; // int overflow = mod 2^32
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1, j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000; // MSB set: the state is never all zero
    }

    /** The next 32 random bits, as an unsigned value in a long. */
    long nextUint32() {
        if (index >= N) twist();
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int kk = 0; kk < N; kk++) {
            int y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff);
            mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        index = 0;
    }

    /** {@code getrandbits(k)} for 1 ≤ k ≤ 32: the top k bits of one 32-bit output. */
    public long getrandbits(int k) {
        if (k < 1 || k > 32) throw new IllegalArgumentException("getrandbits supports 1..32 bits, got " + k);
        return nextUint32() >>> (32 - k);
    }

    /** {@code _randbelow(n)}: rejection sampling on n.bit_length() bits, as CPython does. */
    public int randbelow(int n) {
        if (n <= 0) throw new IllegalArgumentException("randbelow needs n > 0, got " + n);
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) r = getrandbits(k);
        return (int) r;
    }

    /** {@code random.shuffle(list)} in place: Fisher–Yates from the end, j = randbelow(i + 1). */
    public <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
