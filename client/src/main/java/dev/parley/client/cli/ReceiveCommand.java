package dev.parley.client.cli;

import dev.parley.client.Contact;
import dev.parley.client.ContentMessage;
import dev.parley.client.ControlEvent;
import dev.parley.client.GroupEntry;
import dev.parley.client.GroupInfo;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.SentElsewhere;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "receive",
        description = "Print incoming messages as JSON lines {\"from\",\"device\",\"id\",\"text\",\"sentAt\"}"
        + " (stored, acknowledged, and marked read), and the messages your other devices sent as"
        + " {\"from\" (you),\"device\",\"to\",\"id\",\"text\",\"sentAt\"}; group messages (also those your other devices"
        + " sent) as {\"group\",\"from\",\"device\",\"id\",\"text\",\"sentAt\"}, with \"replyTo\", \"expiresIn\" and"
        + " \"attachment\" when a message has them; edits, deletes, reactions and timers as"
        + " {\"kind\",\"from\",\"device\",\"id\",...}; until the wait is over. Refused controls, group changes and"
        + " warnings go to standard error. Your"
        + " messages that a contact's account reset left undelivered are listed on standard error (see"
        + " 'parley resend'); so are devices linked to your account and device warnings.")
final class ReceiveCommand extends ClientCommand {

    /** Wakes the wait when something other than a message needs printing. */
    private static final IncomingMessage WAKE = new IncomingMessage("", "", "", 0, 0);

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "2",
            description = "How long to wait for messages before exiting (default ${DEFAULT-VALUE}).")
    double waitSeconds;

    @Option(names = "--files", paramLabel = "DIR",
            description = "Download each attachment, check it and save it in DIR as a new file (never replacing one);"
                    + " the line adds \"file\" and \"sha256\", or \"fileError\" when it was refused.")
    java.nio.file.Path filesDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        BlockingQueue<IncomingMessage> arrived = new LinkedBlockingQueue<>();
        Set<String> undeliveredTo = ConcurrentHashMap.newKeySet();
        BlockingQueue<ControlEvent> controls = new LinkedBlockingQueue<>();
        ParleyListener listener = new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                arrived.add(message);
            }

            @Override
            public void onUndecryptable(String from, String messageId, String reason) {
                err.println("parley: message " + messageId + " from " + from + " could not be decrypted (" + reason + ")");
                err.flush();
            }

            @Override
            public void onIdentityChanged(Contact contact) {
                err.println("parley: the identity key of " + contact.username() + " changed"
                        + (contact.trust() == Contact.Trust.CHANGED ? " since you verified it" : ""));
                err.flush();
            }

            @Override
            public void onSentElsewhere(SentElsewhere message) {
                arrived.add(WAKE);
            }

            @Override
            public void onDeviceLinked(int device, String name, long linkedAt) {
                err.println("parley: a new device was linked: " + Terminal.safe(name) + " (device " + device + "), "
                        + java.time.Instant.ofEpochMilli(linkedAt));
                err.flush();
            }

            @Override
            public void onDeviceWarning(String warning) {
                err.println("parley: warning: " + warning);
                err.flush();
            }

            @Override
            public void onGroupMessage(GroupEntry message) {
                arrived.add(WAKE);
            }

            @Override
            public void onGroupChanged(GroupInfo group, GroupEntry line) {
                err.println("parley: group " + group.id() + " (" + Terminal.safe(group.name()) + "): " + Terminal.safe(line.text()));
                err.flush();
            }

            @Override
            public void onGroupWarning(String group, String reason, GroupEntry line) {
                err.println("parley: warning: group " + group + ": " + Terminal.safe(line.text()));
                err.flush();
            }

            @Override
            public void onContentMessage(ContentMessage message) {
                arrived.add(WAKE);
            }

            @Override
            public void onControl(ControlEvent control) {
                controls.add(control);
                arrived.add(WAKE);
            }

            @Override
            public void onControlRefused(ControlEvent control, String reason) {
                err.println("parley: warning: refused " + control.kind().name().toLowerCase(java.util.Locale.ROOT) + " from "
                        + control.from() + (control.conversation().isGroup() ? " in group " + control.conversation().group() : "")
                        + ": " + Terminal.safe(reason));
                err.flush();
            }

            @Override
            public void onUndelivered(String contact, List<String> messageIds) {
                undeliveredTo.add(contact);
                arrived.add(WAKE);
            }
        };
        try (ParleyClient client = cli.connected(listener)) {
            ReceiveLines lines = new ReceiveLines(client, filesDir == null ? null : new ReceivedFiles(client, filesDir, err));
            // Also those an earlier command saw: they are kept until resent.
            client.users().forEach(entry -> undeliveredTo.add(entry.username()));
            Set<String> told = new HashSet<>();
            long deadline = System.nanoTime() + (long) (waitSeconds * 1e9);
            while (true) {
                // Stored messages not yet shown (also those that arrived while another command ran).
                for (IncomingMessage message : client.unread()) {
                    out.println(lines.received(message).toString());
                    out.flush();
                    client.markRead(message.from(), List.of(message.id()));
                }
                String self = client.username().orElseThrow();
                for (SentElsewhere sent : client.sentElsewhere()) {
                    out.println(lines.sentElsewhere(self, sent).toString());
                    out.flush();
                    client.markShown(sent);
                }
                for (GroupEntry message : client.unreadGroupMessages()) {
                    out.println(lines.group(message).toString());
                    out.flush();
                    client.markGroupRead(message.group(), List.of(message.id()));
                }
                for (ControlEvent control = controls.poll(); control != null; control = controls.poll()) {
                    out.println(lines.control(control).toString());
                    out.flush();
                }
                for (String contact : List.copyOf(undeliveredTo)) {
                    List<String> ids = ResendCommand.ids(client, contact);
                    if (!ids.isEmpty() && told.add(contact)) {
                        err.println("parley: " + ResendCommand.notice(contact, ids, "'parley resend " + contact
                                + "' sends them again as new messages ('--list' shows them)."));
                        err.flush();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                arrived.poll(left, TimeUnit.NANOSECONDS);
            }
        }
        return 0;
    }
}
