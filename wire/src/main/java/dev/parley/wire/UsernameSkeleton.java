package dev.parley.wire;

import java.util.Map;

/**
 * The confusable skeleton of a username: Unicode TR39's skeleton restricted to the username
 * alphabet {@code [a-z0-9_]}, as defined by test-vectors/usernames/skeletons.json. Each
 * character is replaced by its entry in {@link #MAP} (others stay), in one left-to-right pass.
 * Two usernames are confusable when their skeletons are equal: {@code a1ice} and {@code alice},
 * {@code rnallory} and {@code mallory}. The server refuses a registration whose skeleton equals
 * an existing account's ({@code username_confusable}).
 */
public final class UsernameSkeleton {

    /** The replacements; no replacement's output contains a key, so one pass is enough. */
    public static final Map<Character, String> MAP = Map.of('0', "o", '1', "l", 'm', "rn", 'w', "vv", 'd', "cl");

    private UsernameSkeleton() {
    }

    public static String of(String username) {
        StringBuilder skeleton = new StringBuilder(username.length() + 8);
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            String replacement = MAP.get(c);
            if (replacement != null) {
                skeleton.append(replacement);
            } else {
                skeleton.append(c);
            }
        }
        return skeleton.toString();
    }
}
