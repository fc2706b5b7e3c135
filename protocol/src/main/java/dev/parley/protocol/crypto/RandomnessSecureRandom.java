package dev.parley.protocol.crypto;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * Presents a {@link Randomness} as the {@link SecureRandom} that JDK APIs take, so that the
 * bytes the JDK's ML-KEM draws come from the caller (and can be recorded or replayed). Seeding
 * is ignored; {@code generateSeed} is not offered.
 */
final class RandomnessSecureRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;

    RandomnessSecureRandom(Randomness randomness) {
        super(new Spi(randomness), null);
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient Randomness randomness;

        Spi(Randomness randomness) {
            this.randomness = randomness;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            // The caller's Randomness is the only source; external seeding does not apply.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            randomness.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new UnsupportedOperationException("generateSeed is not available on protocol randomness");
        }
    }
}
