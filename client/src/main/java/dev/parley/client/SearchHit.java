package dev.parley.client;

/**
 * One message found by {@link Conversations#search}: its conversation (a group by its id), its
 * author, its id, the author's {@code sentAt}, and {@code snippet}, the text around the match
 * with the matching words in {@code [brackets]}. Prints no text.
 */
public record SearchHit(ConversationRef conversation, String author, String id, long sentAt, String snippet) {

    @Override
    public String toString() {
        return "SearchHit[" + conversation + ", author=" + author + ", id=" + id + ", sentAt=" + sentAt + "]";
    }
}
