package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.MessageStatus;
import dev.parley.client.ParleyClient;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "send",
        description = "Send a text; returns once the server stored it and prints the message id.")
final class SendCommand extends NameCommand {

    private static final Duration STORED_TIMEOUT = Duration.ofSeconds(30);

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message (several words are joined with spaces).")
    List<String> words;

    @Override
    int run(ParleyClient client) throws Exception {
        ParleyCli.warnLookAlikes(client, name, err());
        String id = client.send(name, String.join(" ", words));
        awaitStored(client, id);
        out().println(id);
        return 0;
    }

    /**
     * The SDK returns at once when the link dropped between the connect and the send (the
     * message is pending in the outbox); this command still returns only once the server stored
     * it, so it waits for the reconnect, at most {@link #STORED_TIMEOUT}.
     */
    private void awaitStored(ParleyClient client, String id) throws ClientException, InterruptedException {
        long deadline = System.nanoTime() + STORED_TIMEOUT.toNanos();
        while (client.status(name, id).orElse(MessageStatus.STORED) == MessageStatus.SENDING) {
            if (System.nanoTime() > deadline) {
                throw new ClientException(Reason.TIMEOUT, "the connection to the server was lost and not restored within "
                        + STORED_TIMEOUT.toSeconds() + " s: message " + id + " to " + name + " is kept in the"
                        + " outbox; the next parley command that connects with this home sends it");
            }
            Thread.sleep(50);
        }
    }
}
