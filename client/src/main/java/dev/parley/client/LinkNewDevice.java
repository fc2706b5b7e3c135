package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.net.ServerAddress;
import dev.parley.client.net.ServerConnection;
import dev.parley.client.net.ServerError;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.crypto.Ed25519;
import dev.parley.protocol.crypto.Randomness;
import dev.parley.protocol.keys.X25519KeyPair;
import dev.parley.protocol.link.LinkCode;
import dev.parley.protocol.link.LinkRequest;
import dev.parley.protocol.link.LinkSealing;
import dev.parley.wire.ErrorCode;
import dev.parley.wire.frames.DeviceFrames.LinkOpen;
import dev.parley.wire.frames.DeviceFrames.LinkOpened;
import dev.parley.wire.frames.DeviceFrames.LinkSealed;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Linking, on the new device (LINKED-DEVICES.md, "Linking" steps 1 and 4): a device key and a
 * one-time pair {@code E} are made here; the request (the device key and name) is sealed to the
 * link code {@code E_pub} and left with the server ({@code link_open}, sent again after a
 * reconnect, which also fetches a link message sealed meanwhile); the user types the code on an
 * existing device. The link message that comes back is opened with {@code E}; its list must
 * verify under the identity it brings and list this device's key at the id it names, else the
 * link was altered and nothing is stored. Then the account is stored in one transaction.
 */
final class LinkNewDevice {

    /** The account this home now holds, and whether history was offered. */
    record Linked(String username, int device, boolean history) {}

    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final ClientStore store;
    private final Randomness randomness;
    private final Clock clock;
    private final Duration timeout;

    LinkNewDevice(ClientStore store, Randomness randomness, Clock clock, Duration timeout) {
        this.store = store;
        this.randomness = randomness;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Waits (until the server's expiry) for an existing device to approve; {@code showCode} gets the offer once. */
    Linked run(ServerAddress target, String name, Consumer<LinkOffer> showCode, BooleanSupplier cancelled) throws ClientException {
        if (store.account().isPresent()) {
            throw new ClientException(Reason.NO_ACCOUNT, "this home already holds the account "
                    + store.account().get().username() + "; link a new device into an empty home (--home)");
        }
        DeviceNames.check(name);
        byte[] deviceKey = Ed25519.newPrivateKey(randomness);
        store.devices.saveDeviceKey(deviceKey);
        X25519KeyPair e = X25519KeyPair.generate(randomness);
        byte[] channel = LinkSealing.channel(e.publicKey());
        byte[] request = LinkSealing.sealRequest(e.publicKey(), new LinkRequest(Ed25519.publicKey(deviceKey), name));
        boolean shown = false;
        long expiresAt = Long.MAX_VALUE;
        while (clock.millis() < expiresAt) {
            if (cancelled.getAsBoolean()) {
                throw new ClientException(Reason.FAILED, "linking was cancelled: the client closed");
            }
            CompletableFuture<LinkSealed> sealed = new CompletableFuture<>();
            ServerConnection opened;
            try {
                opened = ServerConnection.open(target, frame -> {
                    if (frame instanceof LinkSealed push && Arrays.equals(push.channel(), channel)) {
                        sealed.complete(push);
                    }
                });
            } catch (ClientException unreachable) {
                if (!shown) {
                    throw unreachable;
                }
                pause();
                continue;
            }
            try (opened) {
                opened.startDelivering();
                LinkOpened answer = opened.request(new LinkOpen(opened.nextRequestId(), channel, request), LinkOpened.class,
                        timeout);
                expiresAt = answer.expiresAt();
                if (!shown) {
                    showCode.accept(new LinkOffer(LinkCode.display(e.publicKey()), LinkCode.qrText(e.publicKey()),
                            PendingLink.fingerprint(Ed25519.publicKey(deviceKey))));
                    shown = true;
                }
                Optional<LinkSealed> arrived = await(sealed, opened, expiresAt, cancelled);
                if (arrived.isPresent()) {
                    return adopt(target, e, arrived.get(), deviceKey);
                }
            } catch (ServerError refused) {
                if (refused.is(ErrorCode.LINK_EXPIRED)) {
                    break;
                }
                throw ServerErrors.refused("the link request", refused);
            } catch (ClientException lost) {
                if (!shown || lost.reason() != Reason.SERVER_UNREACHABLE && lost.reason() != Reason.TIMEOUT) {
                    throw lost;
                }
            }
            pause();
        }
        throw new ClientException(Reason.TIMEOUT, "no device approved the link before the code expired; run"
                + " 'parley link' again for a new code");
    }

    /** The sealed link message, or empty when the connection ended first (the caller reconnects and re-attaches). */
    private Optional<LinkSealed> await(CompletableFuture<LinkSealed> sealed, ServerConnection opened, long expiresAt,
            BooleanSupplier cancelled) throws ClientException {
        CompletableFuture<Object> either = CompletableFuture.anyOf(sealed, opened.closed());
        while (!either.isDone() && clock.millis() < expiresAt && !cancelled.getAsBoolean()) {
            try {
                either.get(Math.min(1_000, Math.max(1, expiresAt - clock.millis())), TimeUnit.MILLISECONDS);
            } catch (TimeoutException slice) {
                // look at the expiry and the cancellation again
            } catch (ExecutionException ended) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientException(Reason.FAILED, "interrupted while waiting for the link");
            }
        }
        return sealed.isDone() ? Optional.of(sealed.join()) : Optional.empty();
    }

    /** Opens and checks the link message, then stores the account in one transaction. */
    private Linked adopt(ServerAddress target, X25519KeyPair e, LinkSealed push, byte[] deviceKey) throws ClientException {
        LinkMessage message;
        try {
            message = LinkMessage.decode(LinkSealing.openMessage(e, push.sealed()));
        } catch (ProtocolException failed) {
            throw altered("the link message does not open (" + failed.failure() + ")");
        }
        byte[] ownKey = Ed25519.publicKey(deviceKey);
        boolean listsMe = message.list().devices().stream()
                .anyMatch(entry -> entry.id() == message.device() && Arrays.equals(entry.key(), ownKey));
        if (message.device() != push.device() || !listsMe) {
            throw altered("the device list does not list this device's key at device " + message.device());
        }
        Optional<String> refusal = DeviceLists.refusal(message.identity().publicIdentity(), Optional.empty(),
                message.list());
        if (refusal.isPresent()) {
            throw altered("the device list is not signed by the account (" + refusal.get() + ")");
        }
        store.transaction(() -> {
            store.saveAccount(message.username(), target.origin(), message.identity());
            store.devices.saveThisDevice(message.device());
            store.devices.saveList(message.username(), message.list());
            message.deviceNames().forEach(store.devices::saveName);
            for (LinkMessage.LinkedContact contact : message.contacts()) {
                if (contact.username().equals(message.username())) {
                    continue;
                }
                if (contact.verified() != null) {
                    store.saveContact(new Contact(contact.username(), contact.verified(), contact.trust()));
                } else {
                    store.saveLinkedTrust(contact.username(), contact.identityKey(), contact.trust());
                }
            }
            store.putMetaFlag(OwnDevicesSync.AWAITING_HISTORY, message.history());
            store.setRegistered(true);
        });
        return new Linked(message.username(), message.device(), message.history());
    }

    private static ClientException altered(String why) {
        return new ClientException(Reason.REFUSED, "the link was altered: " + why + "; nothing was stored. Link again"
                + " from a device of the account");
    }

    private static void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
