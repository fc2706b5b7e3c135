package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unlink",
        description = "Unlink another device of this account: the server disconnects it and contacts stop encrypting to it."
        + " It keeps a copy of the account identity; only a reset with the recovery code removes it beyond doubt.")
final class DevicesUnlinkCommand extends DevicesSubcommand {

    @Parameters(paramLabel = "ID", description = "The device id ('parley devices' lists them).")
    int id;

    @Override
    public Integer call() throws Exception {
        try (ParleyClient client = connected(new ParleyListener() { })) {
            client.unlink(id);
            out().println("unlinked device " + id);
        }
        return 0;
    }
}
