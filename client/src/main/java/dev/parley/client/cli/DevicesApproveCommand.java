package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.PendingLink;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve",
        description = "Link the new device showing CODE ('parley link' on it) to this account: shows its name and"
        + " device-key fingerprint (compare them with the new device), approves it, and sends it this account's"
        + " history of the last 30 days (at most 10,000 messages) unless --no-history. Progress on standard error.")
final class DevicesApproveCommand extends DevicesSubcommand {

    private static final Duration HISTORY_TIMEOUT = Duration.ofMinutes(5);

    @Parameters(paramLabel = "CODE", arity = "1..*", description = "The link code (groups may be separate words).")
    java.util.List<String> code;

    @Option(names = "--no-history", description = "Send the new device no history.")
    boolean noHistory;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        try (ParleyClient client = connected(new ParleyListener() { })) {
            PendingLink pending = client.peekLink(String.join(" ", code));
            out.println("device: " + Terminal.safe(pending.name()));
            out.println("device key: " + pending.fingerprint());
            out.flush();
            Console console = System.console();
            if (console != null) {
                String answer = console.readLine("Is this the fingerprint the new device shows? Approve it [y/N]: ");
                if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                    throw new ClientException(Reason.REFUSED, "not approved; nothing was changed");
                }
            }
            int before = client.outboxSize();
            int device = client.approveLink(pending, !noHistory);
            out.println("approved device " + device);
            out.flush();
            int queued = client.outboxSize() - before;
            long deadline = System.nanoTime() + HISTORY_TIMEOUT.toNanos();
            int shown = -1;
            while (client.outboxSize() > before && System.nanoTime() < deadline) {
                int sent = Math.max(0, queued - (client.outboxSize() - before));
                if (sent != shown && queued > 0) {
                    err.println("parley: history sent " + sent + "/" + queued);
                    err.flush();
                    shown = sent;
                }
                Thread.sleep(200);
            }
            if (queued > 0 && client.outboxSize() <= before) {
                err.println("parley: history sent " + queued + "/" + queued);
            } else if (queued > 0) {
                err.println("parley: the history is still being sent; the next command that connects with this home goes on");
            }
            err.flush();
        }
        return 0;
    }
}
