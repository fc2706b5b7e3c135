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

/** What the subcommands of {@code parley devices} share: the global options through their parent. */
@Command(mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class)
abstract class DevicesSubcommand implements Callable<Integer> {

    @ParentCommand
    DevicesCommand devices;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    ParleyClient connected(ParleyListener listener) throws ClientException {
        return devices.cli.connected(listener);
    }
}
