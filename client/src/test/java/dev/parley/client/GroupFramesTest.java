package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.store.GroupOutboxStore;
import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireLimits;
import dev.parley.wire.frames.DeliveryFrames.MultiRecipient;
import dev.parley.wire.frames.DeliveryFrames.SendMulti;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A group send too large for one frame is split by recipient: every frame under the limit, each with the content. */
class GroupFramesTest {

    @Test
    void aRotationToAThousandMembersWithSixDevicesEachIsSplitUnderTheFrameLimit() {
        String content = "c".repeat(600);
        Map<String, Map<Integer, String>> recipients = new LinkedHashMap<>();
        for (int m = 0; m < 1000; m++) {
            Map<Integer, String> devices = new TreeMap<>();
            for (int d = 1; d <= 6; d++) {
                devices.put(d, m % 2 == 0 ? "e".repeat(700) : null); // a distribution to half of them
            }
            recipients.put(String.format("member_%04d", m), devices);
        }
        var entry = new GroupOutboxStore.Entry("idididididididididid22", "group", GroupOutboxStore.Kind.MESSAGE, null, content,
                new byte[0], recipients);
        List<SendMulti> frames = GroupFrames.split(entry, List.copyOf(recipients.keySet()));
        assertTrue(frames.size() > 1, "one frame would be " + frames.size());
        List<String> sentTo = new ArrayList<>();
        for (SendMulti frame : frames) {
            int bytes = FrameCatalogue.encode(frame).getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= WireLimits.MAX_FRAME_BYTES, bytes + " bytes");
            assertEquals(content, frame.content());
            assertEquals(entry.id(), frame.id());
            frame.recipients().stream().map(MultiRecipient::to).forEach(sentTo::add);
        }
        assertEquals(List.copyOf(recipients.keySet()), sentTo, "every recipient once, in order");
    }

    @Test
    void aShortMessageToAThousandMembersFitsOneFrame() {
        Map<String, Map<Integer, String>> recipients = new LinkedHashMap<>();
        for (int m = 0; m < 1000; m++) {
            Map<Integer, String> one = new TreeMap<>();
            one.put(1, null);
            recipients.put(String.format("member_%04d", m), one);
        }
        var entry = new GroupOutboxStore.Entry("idididididididididid22", "group", GroupOutboxStore.Kind.MESSAGE, null,
                "c".repeat(600), new byte[0], recipients);
        assertEquals(1, GroupFrames.split(entry, List.copyOf(recipients.keySet())).size());
    }
}
