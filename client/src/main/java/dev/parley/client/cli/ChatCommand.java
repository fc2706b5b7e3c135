package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.Contact;
import dev.parley.client.IncomingMessage;
import dev.parley.client.MessageStatus;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.SentElsewhere;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "chat",
        description = "Chat with NAME: each line you type is sent; incoming messages appear as they"
        + " arrive. /help lists the commands (/quit, or end of input, leaves); a line starting with"
        + " // sends a text that begins with /.")
final class ChatCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME", description = "The user's account name.")
    String name;


    /**
     * A line that starts with one '/' is a command and is never sent; '//' sends the rest of
     * the line from its second '/' (so "//etc" sends "/etc").
     */
    static final String HELP = String.join(System.lineSeparator(),
            "Commands (a line starting with / is never sent):",
            "  /help   this list",
            "  /resend send again, as new messages, yours that the peer's account reset left undelivered",
            "  /quit   leave the chat (end of input, Ctrl-D, does too)",
            "  //text  send a line that starts with / (the first / is dropped: //etc sends /etc)",
            "Any other line is sent to the peer.");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private ParleyClient client;
    private final AtomicBoolean undeliveredShown = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        ParleyListener listener = new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                show(out, message);
            }

            @Override
            public void onIdentityChanged(Contact contact) {
                print(out, "! the identity key of " + contact.username() + " changed"
                        + (contact.trust() == Contact.Trust.CHANGED ? "; sending to them stops until you verify the new safety number" : ""));
            }

            @Override
            public void onUndelivered(String contact, List<String> messageIds) {
                undeliveredShown.set(true);
                print(out, "! " + ResendCommand.notice(contact, messageIds, contact.equals(name)
                        ? "/resend sends them again." : "'parley resend " + contact + "' sends them again."));
            }

            @Override
            public void onDisconnected(String reason) {
                print(out, "! disconnected: " + reason);
            }

            @Override
            public void onSentElsewhere(SentElsewhere message) {
                if (message.to().equals(name) && client != null) {
                    client.markShown(message);
                    print(out, "[" + TIME.format(Instant.ofEpochMilli(message.sentAt())) + "] you (device " + message.device()
                            + "): " + Terminal.safe(message.text()));
                }
            }

            @Override
            public void onDeviceLinked(int device, String deviceName, long linkedAt) {
                print(out, "! a new device was linked to your account: " + Terminal.safe(deviceName) + " (device " + device + ")");
            }

            @Override
            public void onDeviceWarning(String warning) {
                print(out, "! warning: " + warning);
            }
        };
        try (ParleyClient opened = cli.connected(listener)) {
            this.client = opened;
            ParleyCli.warnLookAlikes(opened, name, err());
            print(out, "Chatting with " + name + " as " + opened.username().orElseThrow() + ". /quit to leave, /help for commands.");
            opened.unread().forEach(message -> show(out, message));
            List<String> undelivered = ResendCommand.ids(opened, name);
            if (!undeliveredShown.get() && !undelivered.isEmpty()) { // seen by an earlier command, kept until resent
                print(out, "! " + ResendCommand.notice(name, undelivered, "/resend sends them again."));
            }
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String typed = line.stripLeading();
                if (typed.startsWith("/") && !typed.startsWith("//")) {
                    String command = typed.split("\\s+", 2)[0];
                    if (command.equals("/quit")) {
                        break;
                    }
                    if (command.equals("/resend")) {
                        resend(out);
                        continue;
                    }
                    print(out, command.equals("/help") ? HELP
                            : "! unknown command " + Terminal.safe(command) + ": nothing was sent. /help lists the commands;"
                            + " start a line with // to send a text that begins with /");
                    continue;
                }
                String text = typed.startsWith("//") ? typed.substring(1) : line;
                try {
                    String id = opened.send(name, text);
                    if (opened.status(name, id).orElse(MessageStatus.STORED) == MessageStatus.SENDING) {
                        print(out, "! not connected: the message is kept and sent when the connection is back");
                    }
                } catch (ClientException e) {
                    print(out, "! not sent: " + Terminal.safe(e.getMessage()));
                    if (e.reason() == ClientException.Reason.IDENTITY_CHANGED || e.reason() == ClientException.Reason.UNKNOWN_USER) {
                        return e.reason().exitCode();
                    }
                }
            }
        }
        return 0;
    }

    private void resend(PrintWriter out) {
        try {
            int count = client.resendUndelivered(name).size();
            print(out, count == 0 ? "! nothing to resend to " + name : "! resent " + count + (count == 1 ? " message" : " messages"));
        } catch (ClientException e) {
            print(out, "! not resent: " + Terminal.safe(e.getMessage()));
        }
    }

    private void show(PrintWriter out, IncomingMessage message) {
        String who = message.from().equals(name) ? name : message.from() + " (not in this chat)";
        print(out, "[" + TIME.format(Instant.ofEpochMilli(message.sentAt())) + "] " + who + ": " + Terminal.safe(message.text()));
        if (message.from().equals(name) && client != null) {
            try {
                client.markRead(message.from(), List.of(message.id()));
            } catch (ClientException e) {
                print(out, "! read receipt not sent: " + e.getMessage());
            }
        }
    }

    private static synchronized void print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
