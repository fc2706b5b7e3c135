package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code parley} subcommand shares: {@code --help} and {@code --version}, the global
 * options of {@link ParleyCli} (server, home), and its output streams.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class)
abstract class ClientCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Opens the existing home and connects, for a command that needs no events. */
    ParleyClient connected() throws ClientException {
        return cli.connected(new ParleyListener() { });
    }

}
