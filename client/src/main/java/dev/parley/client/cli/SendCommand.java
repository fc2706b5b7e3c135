package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.MessageStatus;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "Send a text; returns once the server stored it and prints the message id.")
final class SendCommand implements Callable<Integer> {

    private static final Duration STORED_TIMEOUT = Duration.ofSeconds(30);

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String to;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message (several words are joined with spaces).")
    List<String> words;

    @Override
    public Integer call() throws Exception {
        try (ParleyClient client = cli.connected(new ParleyListener() { })) {
            ParleyCli.warnLookAlikes(client, to, spec.commandLine().getErr());
            String id = client.send(to, String.join(" ", words));
            awaitStored(client, id);
            spec.commandLine().getOut().println(id);
        }
        return 0;
    }

    /**
     * The SDK returns at once when the link dropped between the connect and the send (the
     * message is pending in the outbox); this command still returns only once the server stored
     * it, so it waits for the reconnect, at most {@link #STORED_TIMEOUT}.
     */
    private void awaitStored(ParleyClient client, String id) throws ClientException, InterruptedException {
        long deadline = System.nanoTime() + STORED_TIMEOUT.toNanos();
        while (client.status(to, id).orElse(MessageStatus.STORED) == MessageStatus.SENDING) {
            if (System.nanoTime() > deadline) {
                throw new ClientException(Reason.TIMEOUT, "the connection to the server was lost and not restored within "
                        + STORED_TIMEOUT.toSeconds() + " s: message " + id + " to " + to + " is encrypted and kept in the"
                        + " outbox; the next parley command that connects with this home sends it");
            }
            Thread.sleep(50);
        }
    }
}
