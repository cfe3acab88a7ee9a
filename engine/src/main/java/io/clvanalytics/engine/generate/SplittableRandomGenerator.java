package io.clvanalytics.engine.generate;

import java.util.SplittableRandom;
import org.hipparchus.random.RandomGenerator;

/**
 * Hipparchus' random-generator interface over a JDK {@link SplittableRandom}: tiny state and
 * cheap to create, so every customer gets its own stream derived from the seed and its index
 * (results do not depend on thread count or scheduling). Not reseedable: create a new one instead.
 */
final class SplittableRandomGenerator implements RandomGenerator {

    private final SplittableRandom random;

    SplittableRandomGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A stream for item {@code index} of the generation run with {@code seed}. */
    static SplittableRandomGenerator forItem(long seed, long stream, long index) {
        return new SplittableRandomGenerator(mix(mix(seed) ^ mix(stream * 0x9E3779B97F4A7C15L + index)));
    }

    /** Stafford's mix13 finaliser: neighbouring inputs give unrelated seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void setSeed(int seed) {
        throw new UnsupportedOperationException("create a new generator instead of reseeding");
    }

    @Override
    public void setSeed(int[] seed) {
        throw new UnsupportedOperationException("create a new generator instead of reseeding");
    }

    @Override
    public void setSeed(long seed) {
        throw new UnsupportedOperationException("create a new generator instead of reseeding");
    }

    @Override
    public void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }

    @Override
    public void nextBytes(byte[] bytes, int offset, int length) {
        byte[] tmp = new byte[length];
        random.nextBytes(tmp);
        System.arraycopy(tmp, 0, bytes, offset, length);
    }

    @Override
    public int nextInt() {
        return random.nextInt();
    }

    @Override
    public int nextInt(int n) {
        return random.nextInt(n);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }

    @Override
    public long nextLong(long n) {
        return random.nextLong(n);
    }

    @Override
    public boolean nextBoolean() {
        return random.nextBoolean();
    }

    @Override
    public float nextFloat() {
        return random.nextFloat();
    }

    @Override
    public double nextDouble() {
        return random.nextDouble();
    }

    @Override
    public double nextGaussian() {
        return random.nextGaussian();
    }
}
