package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.GroupEntry;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What the subcommands of {@code parley group} share: the global options through their parent,
 * a connected client whose group warnings (a member a message or change could not be sent to,
 * a change refused) go to standard error, and waiting until what a command queued is stored by
 * the server.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class)
abstract class GroupSubcommand implements Callable<Integer> {

    /** How long a command waits for the server to store what it queued. */
    static final Duration STORED_TIMEOUT = Duration.ofSeconds(30);

    @ParentCommand
    GroupCommand group;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = err();
        ParleyListener warnings = new ParleyListener() {
            @Override
            public void onGroupWarning(String groupId, String reason, GroupEntry line) {
                err.println("parley: warning: group " + groupId + ": " + Terminal.safe(line.text()));
                err.flush();
            }
        };
        try (ParleyClient client = group.cli.connected(warnings)) {
            return run(client);
        }
    }

    abstract int run(ParleyClient client) throws Exception;

    /** Returns once the server stored everything queued (the group's changes reach its members); TIMEOUT past {@link #STORED_TIMEOUT}. */
    static void awaitStored(ParleyClient client) throws ClientException {
        if (!client.flush(STORED_TIMEOUT)) {
            throw new ClientException(Reason.TIMEOUT, "the server has not stored everything within " + STORED_TIMEOUT.toSeconds()
                    + " s; it is kept in the outbox and sent by the next parley command that connects with this home");
        }
    }
}
