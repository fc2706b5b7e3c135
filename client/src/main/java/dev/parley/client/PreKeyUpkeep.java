package dev.parley.client;

import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.sessions.LocalPreKeys;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.wire.frames.PreKeyFrames.GetPreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.PreKeyCount;
import dev.parley.wire.frames.PreKeyFrames.PreKeysStored;
import dev.parley.wire.frames.PreKeyFrames.UploadPreKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The prekey family (PROTOCOL.md §5) from this device's side: the first upload after register
 * or reset, and topping up the server's stock on every connect and on {@code prekeys_low}
 * (with signed-prekey rotation and the deletion of retired ones).
 */
final class PreKeyUpkeep {

    private final ClientStore store;
    private final Randomness randomness;
    private final Clock clock;
    private final Duration timeout;

    PreKeyUpkeep(ClientStore store, Randomness randomness, Clock clock, Duration timeout) {
        this.store = store;
        this.randomness = randomness;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The full first upload of a new identity. */
    void uploadAll(ServerConnection opened, IdentityKeyPair identity) throws ClientException, ServerError {
        LocalPreKeys preKeys = new LocalPreKeys(store, identity, randomness);
        UploadPreKeys upload = preKeys.initialUpload(opened.nextRequestId(), clock.millis());
        opened.request(upload, PreKeysStored.class, timeout);
        preKeys.uploaded(upload);
    }

    /** Tops up what the server's stock lacks and rotates the signed prekey when due. */
    void replenish(ServerConnection opened, IdentityKeyPair identity) throws ClientException, ServerError {
        LocalPreKeys preKeys = new LocalPreKeys(store, identity, randomness);
        long now = clock.millis();
        PreKeyCount count = opened.request(new GetPreKeyCount(opened.nextRequestId()), PreKeyCount.class, timeout);
        Optional<UploadPreKeys> upload = preKeys.replenishment(opened.nextRequestId(), count.oneTimePreKeys(),
                count.kemOneTimePreKeys(), now);
        if (upload.isPresent()) {
            opened.request(upload.get(), PreKeysStored.class, timeout);
            preKeys.uploaded(upload.get());
        }
        preKeys.deleteRetiredSignedPreKeys(now);
    }
}
