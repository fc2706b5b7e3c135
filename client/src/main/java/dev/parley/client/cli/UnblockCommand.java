package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import java.time.Duration;
import picocli.CommandLine.Command;

@Command(name = "unblock",
        description = "Unblock NAME: their new messages are received again and you can write to them."
                + " What arrived while they were blocked stays dropped.")
final class UnblockCommand extends NameCommand {

    @Override
    int run(ParleyClient client) throws Exception {
        client.blocking().unblock(name);
        client.flush(Duration.ofSeconds(10)); // the unblock payload to this account's other devices
        out().println(name + " is unblocked.");
        return 0;
    }
}
