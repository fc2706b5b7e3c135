package dev.parley.client.net;

import dev.parley.client.ClientException;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.frames.AuthFrames.IdentityKeys;
import dev.parley.wire.frames.AuthFrames.Login;
import dev.parley.wire.frames.AuthFrames.Register;
import dev.parley.wire.frames.AuthFrames.Reset;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.signed.SignedBytes;

/**
 * The signed {@code register}, {@code login} and {@code reset} requests (PROTOCOL.md §3): each
 * signs {@link SignedBytes#auth} over the connection's next challenge, for the origin the
 * connection addressed, with the device's identity key.
 */
public final class SignedAuth {

    private final ServerConnection connection;
    private final IdentityKeyPair identity;
    private final String username;
    private final long timestamp;
    private final byte[] nonce;

    private SignedAuth(ServerConnection connection, IdentityKeyPair identity, String username, long timestamp)
            throws ClientException {
        this.connection = connection;
        this.identity = identity;
        this.username = username;
        this.timestamp = timestamp;
        this.nonce = connection.takeChallenge();
    }

    /** Takes the connection's next challenge; each request built from it is for one attempt. */
    public static SignedAuth over(ServerConnection connection, IdentityKeyPair identity, String username, long timestamp)
            throws ClientException {
        return new SignedAuth(connection, identity, username, timestamp);
    }

    /**
     * A device login: signed by the device's own key over {@code parley-device-auth-v1}
     * ({@link SignedBytes#deviceAuth}), never by the account identity, so an unlinked device,
     * which keeps a copy of the identity, cannot log in.
     */
    public Login login(int device, byte[] devicePrivateKey) {
        byte[] signed = SignedBytes.deviceAuth(nonce, origin(), timestamp, username, device);
        return new Login(connection.nextRequestId(), username, device, origin(), timestamp,
                Ed25519.sign(devicePrivateKey, Ed25519.publicKey(devicePrivateKey), signed));
    }

    /**
     * The login of a home from before devices existed (PROTOCOL.md §3, the upgrade path): as
     * device 1, signed by the account identity over {@code parley-auth-v1}; the server accepts it
     * only for an account that has no device list yet.
     */
    public Login legacyLogin() {
        return new Login(connection.nextRequestId(), username, 1, origin(), timestamp, sign(Login.TYPE));
    }

    public Register register(byte[] recoveryHash, DeviceList deviceList) {
        return new Register(connection.nextRequestId(), username, identityKeys(identity.publicIdentity()), recoveryHash,
                deviceList, origin(), timestamp, sign(Register.TYPE));
    }

    /** {@code recoveryCode} is the old code, as typed or canonical: the server canonicalises it. */
    public Reset reset(String recoveryCode, byte[] recoveryHash, DeviceList deviceList) {
        return new Reset(connection.nextRequestId(), username, recoveryCode, identityKeys(identity.publicIdentity()),
                recoveryHash, deviceList, origin(), timestamp, sign(Reset.TYPE));
    }

    /** A public identity as the wire carries it. */
    public static IdentityKeys identityKeys(PublicIdentity identity) {
        return new IdentityKeys(identity.signingKey(), identity.dhKey(), identity.binding());
    }

    private String origin() {
        return connection.server().origin();
    }

    private byte[] sign(String action) {
        return Ed25519.sign(identity.signingPrivateKey(), identity.publicIdentity().signingKey(),
                SignedBytes.auth(nonce, origin(), timestamp, action, username));
    }
}
