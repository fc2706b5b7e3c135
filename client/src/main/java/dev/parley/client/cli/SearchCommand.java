package dev.parley.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.ParleyClient;
import dev.parley.client.SearchHit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "search", description = "Search the history held on this device (1:1 and groups; nothing is sent): one JSON"
        + " line per message with every word, best first: {\"with\" | \"group\",\"from\",\"id\",\"sentAt\",\"text\"}"
        + " (the text around the match, matches in [brackets]).")
final class SearchCommand extends ConnectedCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0..*", arity = "1..*", paramLabel = "QUERY", description = "The words to find.")
    List<String> words;

    @Override
    int run(ParleyClient client) throws Exception {
        for (SearchHit hit : client.conversations().search(String.join(" ", words))) {
            ObjectNode line = JSON.createObjectNode();
            if (hit.conversation().isGroup()) {
                line.put("group", hit.conversation().group());
            } else {
                line.put("with", hit.conversation().user());
            }
            line.put("from", hit.author()).put("id", hit.id()).put("sentAt", hit.sentAt()).put("text", hit.snippet());
            out().println(line.toString());
        }
        return 0;
    }
}
