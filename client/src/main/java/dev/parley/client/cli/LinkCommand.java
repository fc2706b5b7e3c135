package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "link",
        description = "Link a new home to an existing account as a new device: prints a link code, waits until a device"
        + " of the account approves it ('parley devices approve CODE'), then prints 'linked as USER (device ID)'"
        + " and receives the history that device sends.")
final class LinkCommand extends ClientCommand {

    /** How long the command waits for the history after linking before it leaves the rest to the next command. */
    private static final Duration HISTORY_WAIT = Duration.ofSeconds(120);

    @Option(names = "--name", paramLabel = "NAME", description = "This device's name, shown to the account's other devices"
            + " (default: 'parley on HOST').")
    String name;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        if (cli.home == null && cli.user == null) {
            throw new ClientException(Reason.REFUSED, "give the new device's home with --home DIR (it must not hold an account)");
        }
        ParleyListener listener = new ParleyListener() {
            @Override
            public void onHistoryProgress(int received, int total) {
                err.println("parley: history " + received + "/" + total);
                err.flush();
            }
        };
        ParleyClient.Options options = ParleyClient.Options.defaults().withListener(listener);
        if (name != null) {
            options = options.withDeviceName(name);
        }
        try (ParleyClient client = ParleyClient.open(cli.homeForExisting(), options)) {
            int device = client.link(cli.serverOrDefault(), options.deviceName(), offer -> {
                out.println("link code: " + offer.code());
                out.println("device key: " + offer.fingerprint());
                out.println("On a device of the account run: parley devices approve " + offer.code());
                out.println("and check that it shows the device key above.");
                out.flush();
            });
            out.println("linked as " + client.username().orElseThrow() + " (device " + device + ")");
            out.flush();
            long deadline = System.nanoTime() + HISTORY_WAIT.toNanos();
            while (client.awaitingHistory() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (client.awaitingHistory()) {
                err.println("parley: the history has not all arrived yet; the next command that connects receives the rest");
            }
            client.flush(Duration.ofSeconds(10));
        }
        return 0;
    }
}
