package dev.parley.client.cli;

import dev.parley.client.ConversationRef;
import dev.parley.client.ParleyClient;
import dev.parley.client.attachments.SentFile;
import dev.parley.client.attachments.Transfer;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "send-file",
        description = "Send a file (at most 100 MiB): encrypted here, uploaded to the server, then sent in a message."
                + " Prints the message id once the server stored it, then the file's SHA-256 (hex).")
final class SendFileCommand extends NameCommand {

    @Parameters(index = "1", paramLabel = "PATH", description = "The file to send.")
    Path file;

    @Override
    int run(ParleyClient client) throws Exception {
        ParleyCli.warnLookAlikes(client, name, err());
        SentFile sent = client.attachments().sendFile(ConversationRef.user(name), file, "", Transfer.quiet());
        GroupSubcommand.awaitStored(client); // the message left the outbox: the server stored it
        out().println(sent.id());
        out().println(sent.sha256());
        return 0;
    }
}
