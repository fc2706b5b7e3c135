package dev.parley.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code parley group ...} end to end, in-process, against a real server: three homes, then a fourth member. */
class GroupCliTest extends CliServerTest {

    @Test
    void createSendReceiveAddRemoveLeaveListAndMembers() {
        Path ann = dir.resolve("ann");
        Path ben = dir.resolve("ben");
        Path cat = dir.resolve("cat");
        Path dov = dir.resolve("dov");
        ok(cli.run(ann, "register", "gcli_ann"));
        ok(cli.run(ben, "register", "gcli_ben"));
        ok(cli.run(cat, "register", "gcli_cat"));
        ok(cli.run(dov, "register", "gcli_dov"));

        String group = ok(cli.run(ann, "group", "create", "crew", "--members", "gcli_ben,gcli_cat")).out().strip();
        assertTrue(group.matches("[A-Za-z0-9_-]{43}"), group);
        String id = ok(cli.run(ann, "group", "send", "crew", "hello", "crew")).out().strip();
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);

        Cli.Result atBen = ok(cli.run(ben, "receive", "--wait", "3"));
        assertEquals(1, atBen.lines().size(), atBen::toString);
        JsonNode message = json(atBen.lines().getFirst());
        assertEquals(List.of(group, "gcli_ann", id, "hello crew", "1"), List.of(message.get("group").asText(),
                message.get("from").asText(), message.get("id").asText(), message.get("text").asText(),
                message.get("device").asText()));
        assertTrue(atBen.err().contains("gcli_ann created the group crew with gcli_ben, gcli_cat"), atBen::toString);
        assertEquals(List.of(), ok(cli.run(ben, "receive", "--wait", "0.5")).lines(), "printed once");
        // A group id is base64url and may start with '-': such an argument is a group, not an option.
        ok(cli.run(ann, "group", "create", "-dash", "--members", "gcli_ben"));
        assertEquals(List.of("gcli_ann\tadmin", "gcli_ben\tmember"), ok(cli.run(ann, "group", "members", "-dash")).lines());

        ok(cli.run(ben, "group", "send", group, "hi from ben"));
        List<String> atCat = ok(cli.run(cat, "receive", "--wait", "3")).lines();
        assertEquals(List.of("gcli_ann:hello crew", "gcli_ben:hi from ben"), atCat.stream()
                .map(l -> json(l).get("from").asText() + ":" + json(l).get("text").asText()).toList());

        Cli.Result notAdmin = cli.run(ben, "group", "add", "crew", "gcli_dov");
        assertEquals(9, notAdmin.code(), notAdmin::toString);
        assertTrue(notAdmin.err().contains("not_admin"), notAdmin::toString);
        ok(cli.run(ann, "group", "add", "crew", "gcli_dov"));
        ok(cli.run(ann, "group", "remove", "crew", "gcli_cat"));
        assertEquals(List.of("gcli_ann\tadmin", "gcli_ben\tmember", "gcli_dov\tmember"),
                ok(cli.run(ann, "group", "members", "crew")).lines());
        Cli.Result welcome = ok(cli.run(ann, "group", "send", "crew", "welcome dov"));
        assertEquals("", welcome.err(), welcome::toString);

        Cli.Result atDov = ok(cli.run(dov, "receive", "--wait", "5"));
        assertEquals(List.of("welcome dov"), atDov.lines().stream().map(l -> json(l).get("text").asText()).toList(),
                atDov::toString);
        assertEquals(List.of(group + "\tcrew\t3\tactive"), ok(cli.run(dov, "group", "list")).lines());
        Cli.Result atCatAgain = ok(cli.run(cat, "receive", "--wait", "3"));
        assertEquals(List.of(), atCatAgain.lines(), "a removed member gets nothing sent after its removal");
        assertEquals(List.of(group + "\tcrew\t3\tremoved"), ok(cli.run(cat, "group", "list")).lines());

        ok(cli.run(ann, "group", "leave", "crew"));
        ok(cli.run(ben, "receive", "--wait", "3"));
        assertEquals(List.of("gcli_ben\tadmin", "gcli_dov\tmember"), ok(cli.run(ben, "group", "members", group)).lines());
        assertTrue(ok(cli.run(ann, "group", "list")).lines().contains(group + "\tcrew\t2\tleft"));
        Cli.Result unknown = cli.run(ann, "group", "send", "nosuchgroup", "x");
        assertEquals(9, unknown.code(), unknown::toString);
    }
}
