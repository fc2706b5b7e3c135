package dev.parley.bench.crypto;

/**
 * Alice and Bob of one library as the crypto benchmarks drive them: session setup, then one
 * message at a time in either direction, encrypted by one side and decrypted by the other.
 * {@link #withTurns} alternates the direction, so every receipt is a DH ratchet step; after
 * {@link #establish} (Bob spoke last) Alice goes first.
 */
abstract class BenchConversation {

    private boolean bobsTurn = true;

    /** Session setup from no sessions and the first message, Alice to Bob; returns Bob's plaintext. */
    abstract byte[] setUp(byte[] first) throws Exception;

    /** One message from Alice to Bob ({@code fromAlice}) or back; returns the receiver's plaintext. */
    abstract byte[] send(boolean fromAlice, byte[] plaintext) throws Exception;

    /** Setup plus Bob's reply, so that both sides are past the handshake. */
    final void establish(byte[] payload) throws Exception {
        setUp(payload);
        send(false, payload);
        bobsTurn = true;
    }

    /** Alice to Bob only: the symmetric chain, no DH ratchet step. */
    final byte[] sameChain(byte[] plaintext) throws Exception {
        return send(true, plaintext);
    }

    /** The next message, in the other direction than the last. */
    final byte[] withTurns(byte[] plaintext) throws Exception {
        bobsTurn = !bobsTurn;
        return send(!bobsTurn, plaintext);
    }
}
