package dev.parley.bench;

/**
 * The relay workload's view of a server: pairs of one sender and one receiver, each
 * connected and registered before measuring starts. Implemented for Parley's protocol and for
 * the socket.io relays of the seed's events, so the same scheduler drives all three.
 */
interface RelayTransport extends AutoCloseable {

    /** Where the transport reports what the receivers saw. Called from any thread. */
    interface Sink {
        /** A receiver got the message with this id. */
        void delivered(String messageId);

        /** The server refused a message or a socket failed. */
        void error(String what);
    }

    /** Connects and registers {@code pairs} senders and receivers; messages carry {@code envelopeBytes} random bytes. */
    void open(int pairs, int envelopeBytes, Sink sink);

    /** Sends one message from pair {@code pair}'s sender to its receiver. Called by one thread per pair. */
    void send(int pair, String messageId);

    int connections();

    /** Whether everything sent so far beyond the counted deliveries (answers, transcripts) has arrived too. */
    default boolean settled() {
        return true;
    }

    @Override
    void close();
}
