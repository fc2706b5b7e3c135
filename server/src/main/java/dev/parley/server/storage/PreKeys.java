package dev.parley.server.storage;

import java.util.List;

/**
 * Prekey records as the server keeps them: public keys and signatures only. The server checks
 * the signatures on upload (so garbage is refused early) but clients verify them again.
 */
public final class PreKeys {

    private PreKeys() {
    }

    /** A signed X25519 prekey or a signed ML-KEM-768 prekey. */
    public record Signed(long id, byte[] publicKey, byte[] signature) {
    }

    /** A one-time X25519 prekey (unsigned, per X3DH/PQXDH). */
    public record OneTime(long id, byte[] publicKey) {
    }

    /** The signed capability flags of docs/CRYPTO.md §2.4. */
    public record Capabilities(int flags, byte[] signature) {
    }

    /**
     * One upload; absent parts leave what is stored unchanged. One-time keys are added to
     * the stock (an id already present is replaced).
     */
    public record Upload(Signed signedPreKey, Signed kemLastResort, Capabilities capabilities,
                         List<OneTime> oneTimePreKeys, List<Signed> kemOneTimePreKeys) {
    }

    /**
     * What {@code get_prekey_bundle} hands out. {@code oneTimePreKey} may be null (stock
     * exhausted); {@code kemPreKey} is one-time when {@code kemOneTime} is true, else the
     * last-resort key.
     */
    public record Bundle(Identity identity, Capabilities capabilities, Signed signedPreKey,
                         OneTime oneTimePreKey, Signed kemPreKey, boolean kemOneTime) {
    }

    /** Remaining one-time stock. */
    public record Counts(int oneTimePreKeys, int kemOneTimePreKeys) {
    }
}
