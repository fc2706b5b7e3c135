package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.wire.frames.DeliveryFrames.DeviceEnvelope;
import dev.parley.wire.frames.DeliveryFrames.SendMessage;
import dev.parley.wire.frames.DeviceFrames.GetDevices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sends of a {@link TestClient} to every device of a recipient: the recipient's device ids
 * as last fetched with {@code get_devices}, one envelope per device, and one retry under the
 * same id after {@code mismatched_devices}. It trusts the stored list as the server answers it
 * (the server's tests check the server, not the list's signature).
 */
final class TestFanOut {

    private final TestClient client;
    /** Each recipient's device ids as last fetched, for {@link #sendMessage}. */
    private final Map<String, List<Integer>> knownDevices = new HashMap<>();

    TestFanOut(TestClient client) {
        this.client = client;
    }

    /** See {@link TestClient#sendMessage}. */
    JsonNode sendMessage(String to, String messageId, String envelope) {
        JsonNode reply = sendToDevices(to, messageId, null, envelope, knownDevices.computeIfAbsent(to, this::recipientDevices));
        if (reply.path("code").asText().equals("mismatched_devices")) {
            knownDevices.put(to, recipientDevices(to));
            reply = sendToDevices(to, messageId, null, envelope, knownDevices.get(to));
        }
        return reply;
    }

    /** Sends {@code envelope} (and {@code content}, if not null) to exactly {@code devices} of {@code to}. */
    JsonNode sendToDevices(String to, String messageId, String content, String envelope, List<Integer> devices) {
        var copies = devices.stream().map(id -> new DeviceEnvelope(id, envelope)).toList();
        return client.request(new SendMessage(messageId, to, content, copies));
    }

    /** The device ids {@code username}'s stored list names, as {@code get_devices} answers. */
    List<Integer> devicesOf(String username) {
        JsonNode reply = client.request(new GetDevices(TestClient.nextId(), username));
        assertEquals("devices", reply.path("type").asText(), reply::toString);
        return ids(reply);
    }

    /**
     * The devices a send to {@code to} names: all of its list, less this device when it is this
     * account. For a name {@code get_devices} refuses (no such user), device 1, so that the send
     * itself brings the server's refusal.
     */
    private List<Integer> recipientDevices(String to) {
        JsonNode reply = client.request(new GetDevices(TestClient.nextId(), to));
        if (!reply.path("type").asText().equals("devices")) {
            return List.of(1);
        }
        List<Integer> ids = ids(reply);
        if (to.equals(client.username())) {
            ids.remove(Integer.valueOf(client.device()));
        }
        return ids;
    }

    private static List<Integer> ids(JsonNode devicesReply) {
        List<Integer> ids = new ArrayList<>();
        devicesReply.path("list").path("devices").forEach(entry -> ids.add(entry.path("id").asInt()));
        return ids;
    }
}
