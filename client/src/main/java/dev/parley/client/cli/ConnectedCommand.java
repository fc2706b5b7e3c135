package dev.parley.client.cli;

import dev.parley.client.ParleyClient;

/** A command that works on a connected client and needs no events: connect, {@link #run}, close. */
abstract class ConnectedCommand extends ClientCommand {

    @Override
    public final Integer call() throws Exception {
        try (ParleyClient client = connected()) {
            return run(client);
        }
    }

    /** The command's work; returns the exit code. */
    abstract int run(ParleyClient client) throws Exception;
}
