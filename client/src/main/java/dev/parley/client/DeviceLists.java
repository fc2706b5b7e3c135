package dev.parley.client;

import dev.parley.client.ClientException.Reason;
import dev.parley.client.sessions.Bundles;
import dev.parley.client.store.ClientStore;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.devices.DeviceListCheck;
import dev.parley.protocol.keys.IdentityKeyPair;
import dev.parley.protocol.keys.PublicIdentity;
import dev.parley.wire.frames.DeviceFrames.DeviceEntry;
import dev.parley.wire.frames.DeviceFrames.DeviceList;
import dev.parley.wire.frames.DeviceFrames.Devices;
import dev.parley.wire.frames.DeviceFrames.ServerDevice;
import dev.parley.wire.signed.SignedBytes;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Signed device lists (LINKED-DEVICES.md, "The device list"). A sender encrypts only to the
 * devices of the list it accepted for a contact: one that verifies under the contact's identity,
 * whose version is not lower than the one held, and not the held version with other content
 * (the check is the protocol's {@link DeviceListCheck}). A refused list leaves the held one
 * in place and nothing is encrypted to the contact: the send fails with the reason. This
 * account's own devices check the server's device rows against the own signed list at login
 * and on {@code devices_changed}, and tell the listener when they differ.
 *
 * <p>Callers hold {@link Messaging#lock}.
 */
final class DeviceLists {

    private final ClientStore store;
    private final IdentityKeyPair identity;
    private final String username;
    private final int device;
    private final Messaging.Transport transport;
    private final Identities identities;
    private final ParleyListener listener;

    DeviceLists(ClientStore store, IdentityKeyPair identity, String username, int device, Messaging.Transport transport,
            Identities identities, ParleyListener listener) {
        this.store = store;
        this.identity = identity;
        this.username = username;
        this.device = device;
        this.transport = transport;
        this.identities = identities;
        this.listener = listener;
    }

    /**
     * The protocol's sender check ({@link DeviceListCheck}, CRYPTO.md §10.4): empty when
     * {@code received} may be accepted after {@code held}, else the reason in words.
     */
    static Optional<String> refusal(PublicIdentity owner, Optional<DeviceList> held, DeviceList received) {
        return switch (DeviceListCheck.check(owner, held.orElse(null), received)) {
            case DeviceListCheck.Accepted accepted -> Optional.empty();
            case DeviceListCheck.Refused refused -> Optional.of(refused.reason().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + ": " + refused.detail());
        };
    }

    /** Signs a list of this account's devices with the account identity ({@code parley-device-list-v1}). */
    static DeviceList sign(IdentityKeyPair identity, long version, long issuedAt, List<DeviceEntry> devices) {
        return new DeviceList(version, issuedAt, devices, identity.sign(SignedBytes.deviceList(version, issuedAt, devices)));
    }

    /**
     * The devices a message to {@code to} goes to: the accepted list of a contact (fetched and
     * checked if none is held), or this account's other devices for a sync payload.
     */
    List<Integer> recipientDevices(String to) throws ClientException {
        Optional<DeviceList> held = store.devices.list(to);
        if (held.isEmpty() || (!to.equals(username) && store.contact(to).isEmpty())) {
            return refreshRecipientDevices(to);
        }
        return ids(to, held.get());
    }

    /** Fetches {@code to}'s list again, checks and stores it, drops the sessions of devices that left it; returns the recipients. */
    List<Integer> refreshRecipientDevices(String to) throws ClientException {
        DeviceList accepted = refresh(to).list();
        return ids(to, accepted);
    }

    private List<Integer> ids(String to, DeviceList list) {
        return list.devices().stream().map(DeviceEntry::id).filter(id -> !to.equals(username) || id != device).toList();
    }

    /** Whether {@code list} has device {@code id}. */
    static boolean listed(DeviceList list, int id) {
        return list.devices().stream().anyMatch(e -> e.id() == id);
    }

    /** The held (accepted) list of {@code owner}, if any. */
    Optional<DeviceList> held(String owner) {
        return store.devices.list(owner);
    }

    /** {@code get_devices} for {@code owner}: the server's answer, not checked yet. */
    Devices fetch(String owner) throws ClientException {
        return transport.fetchDevices(owner);
    }

    /** Stores {@code list} as {@code owner}'s accepted one (it passed the check) and drops the sessions of devices not in it. */
    void accept(String owner, DeviceList list) {
        List<Integer> listed = list.devices().stream().map(DeviceEntry::id).toList();
        store.transaction(() -> {
            store.devices.saveList(owner, list);
            store.devices.dropSessionsExcept(owner, listed);
            store.groups.dropReceiversExcept(owner, listed); // an unlinked device's group chains go with it
        });
    }

    /** The server's answer about {@code owner} after its list passed the check and was stored. */
    Devices refresh(String owner) throws ClientException {
        Devices answer = fetch(owner);
        DeviceList received = answer.list();
        if (received == null) {
            throw notSigned(owner, "the server sent no device list");
        }
        PublicIdentity ownerIdentity = identityOf(owner, received);
        Optional<DeviceList> held = store.devices.list(owner);
        Optional<String> refusal = refusal(ownerIdentity, held, received);
        if (refusal.isPresent()) {
            throw notSigned(owner, refusal.get());
        }
        accept(owner, received);
        return answer;
    }

    /**
     * At login and on {@code devices_changed} for this account: checks the own list as any sender
     * would, and compares the server's device rows with it; a row the list does not have (or a
     * listed device without a row) is reported to {@link ParleyListener#onDeviceWarning}.
     * Returns the server's answer.
     */
    Devices checkOwn() throws ClientException {
        Devices answer;
        try {
            answer = refresh(username);
        } catch (ClientException e) {
            if (e.reason() == Reason.REFUSED) {
                UnpromptedFrames.safely(() -> listener.onDeviceWarning("the server's device list for this account is not"
                        + " one its devices signed (" + e.getMessage() + ")"));
            }
            throw e;
        }
        var listed = new TreeSet<>(answer.list().devices().stream().map(DeviceEntry::id).toList());
        var rows = new TreeSet<>(answer.servers().stream().map(ServerDevice::id).toList());
        if (!listed.equals(rows)) {
            var unapproved = new TreeSet<>(rows);
            unapproved.removeAll(listed);
            String message = unapproved.isEmpty()
                    ? "the server's devices for this account " + rows + " differ from the signed list " + listed
                    : "a device this account did not approve is on the server (device " + unapproved
                            + "; the signed list has " + listed + ")";
            UnpromptedFrames.safely(() -> listener.onDeviceWarning(message));
        }
        return answer;
    }

    /** The identity a list must be signed by: one's own, the contact's known one, or (first contact) its bundle's. */
    private PublicIdentity identityOf(String owner, DeviceList received) throws ClientException {
        if (owner.equals(username)) {
            return identity.publicIdentity();
        }
        Optional<Contact> known = store.contact(owner);
        if (known.isPresent()) {
            return known.get().identity();
        }
        if (received.devices().isEmpty()) {
            throw notSigned(owner, "the list names no device");
        }
        try {
            PublicIdentity seen = Bundles.verified(transport.fetchBundle(owner, received.devices().getFirst().id())).identity();
            return identities.observe(owner, seen).contact().identity();
        } catch (ProtocolException e) {
            throw new ClientException(Reason.REFUSED, "the prekey bundle of " + owner + " failed verification ("
                    + e.failure() + "); nothing was sent", e);
        }
    }

    private static ClientException notSigned(String owner, String why) {
        return new ClientException(Reason.REFUSED, "device list not signed by " + owner + " (" + why
                + "); nothing is encrypted to " + owner + " until a valid list comes");
    }
}
