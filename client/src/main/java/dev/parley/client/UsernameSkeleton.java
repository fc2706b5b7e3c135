package dev.parley.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Look-alike usernames: the confusable skeleton of a Parley username, as defined by
 * {@code test-vectors/usernames/skeletons.json} (Unicode TR39's skeleton restricted to the
 * username alphabet {@code a-z 0-9 _}). Each character is replaced by its entry in {@link #MAP}
 * in one left-to-right pass (a replacement is not mapped again); two usernames are confusable
 * when their skeletons are equal.
 *
 * <p>The server keeps its own copy of this map to refuse look-alike registrations; existing
 * accounts may still collide, so the client marks them (the CLI's {@code users}, and a warning
 * when {@code send} or {@code chat} names one). Both copies are checked against the same vector
 * file.
 */
public final class UsernameSkeleton {

    /** The character map of skeletons.json; characters not listed map to themselves. */
    static final Map<Character, String> MAP = Map.of('0', "o", '1', "l", 'm', "rn", 'w', "vv", 'd', "cl");

    private UsernameSkeleton() {
    }

    /** The skeleton of {@code username}. */
    public static String of(String username) {
        StringBuilder skeleton = new StringBuilder(username.length() + 4);
        for (int i = 0; i < username.length(); i++) {
            char c = username.charAt(i);
            String mapped = MAP.get(c);
            if (mapped == null) {
                skeleton.append(c);
            } else {
                skeleton.append(mapped);
            }
        }
        return skeleton.toString();
    }

    /** Whether {@code a} and {@code b} look alike (equal skeletons); a name is confusable with itself. */
    public static boolean confusable(String a, String b) {
        return of(a).equals(of(b));
    }

    /** The names of {@code others}, other than {@code username} itself, that look like it, sorted. */
    public static List<String> lookAlikes(String username, Collection<String> others) {
        String skeleton = of(username);
        return others.stream().filter(other -> !Objects.equals(other, username) && of(other).equals(skeleton))
                .distinct().sorted().toList();
    }
}
