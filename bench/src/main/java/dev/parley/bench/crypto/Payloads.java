package dev.parley.bench.crypto;

import java.util.Random;

/** The plaintext every ratchet benchmark encrypts: 1 KiB, the same bytes for both libraries. */
final class Payloads {

    /** 1 KiB: a long chat message or a typical padded bucket. */
    static final int SIZE = 1024;

    private Payloads() {}

    /** Fixed pseudo-random bytes (content does not affect AES-GCM or AES-CBC cost). */
    static byte[] oneKib() {
        byte[] bytes = new byte[SIZE];
        new Random(1024).nextBytes(bytes);
        return bytes;
    }
}
