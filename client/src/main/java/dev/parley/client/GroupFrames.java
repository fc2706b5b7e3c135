package dev.parley.client;

import dev.parley.client.store.GroupOutboxStore;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.MultiDevice;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code send_multi} frames of a sealed group outbox entry: its recipients in order, as many
 * per frame as keep the frame under {@link WireLimits#MAX_FRAME_BYTES} (with room for the
 * JSON around the fields) and {@link WireLimits#MAX_MULTI_RECIPIENTS}; every frame carries the
 * content and the same id (the server stores the content once per frame and deduplicates
 * copies per recipient device and id).
 */
final class GroupFrames {

    /** Room left for the frame's JSON around what is counted (type, id and content fields). */
    private static final int MARGIN = 1024;
    /** The JSON of one recipient without its name and devices: {@code {"to":"","devices":[]},}. */
    private static final int RECIPIENT = 24;
    /** One device without an envelope: {@code {"device":255},}. */
    private static final int DEVICE = 16;
    /** An envelope's field without its value: {@code ,"envelope":""}. Names and base64url need no escaping. */
    private static final int ENVELOPE = 14;

    private GroupFrames() {
    }

    static List<SendMulti> split(GroupOutboxStore.Entry entry, List<String> members) {
        int base = entry.id().length() + (entry.content() == null ? 0 : entry.content().length());
        int limit = WireLimits.MAX_FRAME_BYTES - MARGIN;
        List<SendMulti> frames = new ArrayList<>();
        List<MultiRecipient> current = new ArrayList<>();
        int size = base;
        for (String member : members) {
            Map<Integer, String> devices = entry.recipients().get(member);
            List<MultiDevice> copies = new ArrayList<>();
            int cost = RECIPIENT + member.length();
            for (var device : devices.entrySet()) {
                copies.add(new MultiDevice(device.getKey(), device.getValue()));
                cost += DEVICE + (device.getValue() == null ? 0 : ENVELOPE + device.getValue().length());
            }
            if (!current.isEmpty() && (size + cost > limit || current.size() >= WireLimits.MAX_MULTI_RECIPIENTS)) {
                frames.add(new SendMulti(entry.id(), entry.content(), current));
                current = new ArrayList<>();
                size = base;
            }
            current.add(new MultiRecipient(member, copies));
            size += cost;
        }
        if (!current.isEmpty()) {
            frames.add(new SendMulti(entry.id(), entry.content(), current));
        }
        return frames;
    }
}
