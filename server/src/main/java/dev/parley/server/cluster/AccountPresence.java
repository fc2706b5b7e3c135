package dev.parley.server.cluster;

/** Whether an account is online: any of its devices connected, to any node. */
@FunctionalInterface
public interface AccountPresence {

    /** Never blocks (a memory look-up on every node). */
    boolean isOnline(String account);
}
