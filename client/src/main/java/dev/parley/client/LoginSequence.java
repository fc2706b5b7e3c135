package dev.parley.client;

import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.client.store.ClientStore.Account;
import java.time.Clock;
import java.time.Duration;

/**
 * What follows each successful register, reset, login or link, in this order: the account's
 * identity becomes the current one, the own device list is checked (before the queue is
 * replayed: sync payloads are accepted from listed devices only), the server starts delivering,
 * prekeys are uploaded or topped up, the directory refreshed, old received ids pruned, and the
 * outbox and the group outbox sent.
 */
final class LoginSequence implements AccountLink.Online {

    /** How long the ids of received messages are kept to recognise replays (longer than the server's queue TTL). */
    private static final Duration RECEIVED_IDS_KEPT = Duration.ofDays(31);

    private final ClientStore store;
    private final CurrentIdentity identity;
    private final AccountDevices devices;
    private final PreKeyUpkeep preKeys;
    private final Directory directory;
    private final Outbox outbox;
    private final GroupOutbox groupOutbox;
    private final Clock clock;

    LoginSequence(ClientStore store, CurrentIdentity identity, AccountDevices devices, PreKeyUpkeep preKeys,
            Directory directory, Outbox outbox, GroupOutbox groupOutbox, Clock clock) {
        this.store = store;
        this.identity = identity;
        this.devices = devices;
        this.preKeys = preKeys;
        this.directory = directory;
        this.outbox = outbox;
        this.groupOutbox = groupOutbox;
        this.clock = clock;
    }

    @Override
    public void online(ServerConnection opened, Account account, boolean newIdentity) throws ClientException {
        identity.use(account);
        devices.checkOwn();
        opened.startDelivering();
        try {
            if (newIdentity) {
                preKeys.uploadAll(opened, account.identity());
            } else {
                preKeys.replenish(opened, account.identity());
            }
            directory.refresh(opened);
        } catch (ServerError e) {
            throw ServerErrors.refused("prekey upload", e);
        }
        store.history.pruneReceived(clock.millis() - RECEIVED_IDS_KEPT.toMillis());
        outbox.connected();
        groupOutbox.connected();
    }
}
