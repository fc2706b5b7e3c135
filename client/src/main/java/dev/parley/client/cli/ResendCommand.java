package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ParleyClient;
import dev.parley.client.UndeliveredMessage;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "resend",
        description = "Send again, as new messages and in their order, your messages to NAME that NAME's"
        + " account reset left undelivered (the server dropped them with NAME's old identity); prints the"
        + " new message ids once the server stored them. Each is resent once. If you had verified NAME,"
        + " verify the new safety number first.")
final class ResendCommand extends NameCommand {

    private static final Duration STORED_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--list", description = "Only list them (id, a tab, the text), one per line; send nothing.")
    boolean list;

    @Override
    int run(ParleyClient client) throws Exception {
        if (list) {
            client.undelivered(name).forEach(m -> out().println(m.id() + "\t" + Terminal.safe(m.text())));
            return 0;
        }
        List<String> copies = client.resendUndelivered(name);
        if (copies.isEmpty()) {
            err().println("parley: no undelivered messages to " + name);
            return 0;
        }
        if (!client.flush(STORED_TIMEOUT)) {
            throw new ClientException(Reason.TIMEOUT, "the server has not stored the resent messages to " + name
                    + " within " + STORED_TIMEOUT.toSeconds() + " s; they are kept in the outbox and sent by the next"
                    + " parley command that connects with this home (do not resend them again)");
        }
        copies.forEach(out()::println);
        return 0;
    }

    /**
     * What {@code receive} and {@code chat} tell the user about texts to {@code contact} left
     * undelivered by its account reset: which, and how to send them again.
     */
    static String notice(String contact, List<String> ids, String howToResend) {
        return ids.size() + (ids.size() == 1 ? " message" : " messages") + " to " + contact + " could not be delivered"
                + " (" + contact + "'s account was reset to a new identity; the server dropped them): " + String.join(", ", ids)
                + ". " + howToResend;
    }

    /** The undelivered texts' ids to {@code contact}, as the store has them now. */
    static List<String> ids(ParleyClient client, String contact) {
        return client.undelivered(contact).stream().map(UndeliveredMessage::id).toList();
    }
}
