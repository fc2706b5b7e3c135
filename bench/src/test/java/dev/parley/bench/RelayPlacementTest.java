package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelayPlacementTest {

    private static final List<Target> THREE = List.of(node(1), node(2), node(3));

    @Test
    void crossNodePutsEveryReceiverOnAnotherNodeAndSpreadsBothSidesEvenly() {
        var placement = new RelayPlacement(THREE, RelayPlacement.Spread.CROSS_NODE, true);
        int[] senders = new int[3];
        int[] receivers = new int[3];
        for (int pair = 0; pair < 30; pair++) {
            assertNotEquals(placement.senderNode(pair), placement.receiverNode(pair));
            senders[placement.senderNode(pair)]++;
            receivers[placement.receiverNode(pair)]++;
        }
        assertArrayEquals(new int[] {10, 10, 10}, senders);
        assertArrayEquals(new int[] {10, 10, 10}, receivers);
    }

    @Test
    void sameNodeKeepsEachPairOnOneNodeAndSpreadsPairsEvenly() {
        var placement = new RelayPlacement(THREE, RelayPlacement.Spread.SAME_NODE, true);
        int[] pairs = new int[3];
        for (int pair = 0; pair < 30; pair++) {
            org.junit.jupiter.api.Assertions.assertEquals(placement.senderNode(pair), placement.receiverNode(pair));
            pairs[placement.senderNode(pair)]++;
        }
        assertArrayEquals(new int[] {10, 10, 10}, pairs);
    }

    @Test
    void crossNodeNeedsTwoNodes() {
        assertThrows(IllegalArgumentException.class,
                () -> new RelayPlacement(List.of(node(1)), RelayPlacement.Spread.CROSS_NODE, true));
    }

    private static Target node(int port) {
        return new Target("parley", "http://127.0.0.1:" + port, null);
    }
}
