package dev.parley.client.cli;

import dev.parley.client.ConversationRef;
import dev.parley.client.ParleyClient;
import dev.parley.client.attachments.SentFile;
import dev.parley.client.attachments.Transfer;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "send-file", description = "Send a file (at most 100 MiB) to a group: encrypted here, uploaded once, sent in a"
        + " group message. Prints the message id once the server stored it, then the file's SHA-256 (hex).")
final class GroupSendFileCommand extends GroupSubcommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id or name.")
    String group;

    @Parameters(index = "1", paramLabel = "PATH", description = "The file to send.")
    Path file;

    @Override
    int run(ParleyClient client) throws Exception {
        SentFile sent = client.attachments().sendFile(ConversationRef.group(client.group(group).id()), file, "", Transfer.quiet());
        awaitStored(client);
        out().println(sent.id());
        out().println(sent.sha256());
        return 0;
    }
}
