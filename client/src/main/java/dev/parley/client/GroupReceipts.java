package dev.parley.client;

import java.util.List;

/**
 * Who received and read one of this account's group texts: {@code members} is the number of
 * other members it went to (the group's members when it was read here, without this account),
 * {@code deliveredTo} the members a device of whom stored it, {@code readBy} those who read it
 * (sorted): "delivered to 3 of 5, read by 2 of 5".
 */
public record GroupReceipts(String group, String id, MessageStatus status, int members, List<String> deliveredTo,
        List<String> readBy) {

    public GroupReceipts {
        deliveredTo = List.copyOf(deliveredTo);
        readBy = List.copyOf(readBy);
    }
}
