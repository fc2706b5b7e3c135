package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.Contact;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "chat", description = "Chat with NAME: each line you type is sent; incoming messages appear as they"
        + " arrive. End with /quit or end of input (Ctrl-D).")
final class ChatCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String peer;

    private ParleyClient client;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
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
            public void onDisconnected(String reason) {
                print(out, "! disconnected: " + reason);
            }
        };
        try (ParleyClient opened = cli.connected(listener)) {
            this.client = opened;
            print(out, "Chatting with " + peer + " as " + opened.username().orElseThrow() + ". /quit to leave.");
            opened.unread().forEach(message -> show(out, message));
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.strip().equals("/quit")) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    opened.send(peer, line);
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

    private void show(PrintWriter out, IncomingMessage message) {
        String who = message.from().equals(peer) ? peer : message.from() + " (not in this chat)";
        print(out, "[" + TIME.format(Instant.ofEpochMilli(message.sentAt())) + "] " + who + ": " + Terminal.safe(message.text()));
        if (message.from().equals(peer) && client != null) {
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
