package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import java.time.Duration;
import picocli.CommandLine.Command;

@Command(name = "block",
        description = "Block NAME: their messages, typing and receipts are dropped on this account's devices and"
                + " nothing is sent to them. The server and NAME are not told; your other devices are.")
final class BlockCommand extends NameCommand {

    @Override
    int run(ParleyClient client) throws Exception {
        client.blocking().block(name);
        client.flush(Duration.ofSeconds(10)); // the block payload to this account's other devices
        out().println(name + " is blocked.");
        return 0;
    }
}
