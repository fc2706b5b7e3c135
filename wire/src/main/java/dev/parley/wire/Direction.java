package dev.parley.wire;

/** Who sends a frame type: a client to the server, or the server to a client. */
public enum Direction {
    CLIENT_TO_SERVER,
    SERVER_TO_CLIENT
}
