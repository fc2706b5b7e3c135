package dev.parley.server.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static import graph of the web client's ES modules, read from their text: what the page
 * preloads ({@code <link rel="modulepreload">}) so that the browser fetches every module at
 * once instead of discovering them one import level at a time.
 *
 * <p>A static import is a statement that starts a line: {@code import ... from '...'},
 * {@code import '...'} or {@code export ... from '...'} (clauses may span lines; a minified
 * {@code import{a}from"..."}, as the bundle's first statement, is one too). Only relative
 * specifiers ({@code ./}, {@code ../}) are followed, resolved against the importing module's
 * path. Dynamic {@code import(...)} is not a static import and is left out (the QR WebJar is
 * loaded that way, on demand); so is text in comments, whose lines start with {@code *} or
 * {@code //}. Web client modules import each other only by relative paths, which is what keeps
 * them inside the versioned prefix the page loads them from (see {@link WebAssets}).
 */
final class ModuleGraph {

    private static final Pattern STATIC_IMPORT = Pattern.compile(
            "^[ \\t]*(?:import[ \\t]*(?:[\\w$*{},\\s]+?(?:[ \\t\\n]|(?<=}))from[ \\t]*)?"
                    + "|export[ \\t]*(?:\\*(?:[ \\t]+as[ \\t]+[\\w$]+)?|\\{[^}]*})[ \\t\\n]*from[ \\t]*)"
                    + "(['\"])([^'\"\\n]+)\\1",
            Pattern.MULTILINE);

    private ModuleGraph() {
    }

    /** The relative specifiers a module imports statically, in the order they appear. */
    static List<String> staticImports(String source) {
        List<String> specifiers = new ArrayList<>();
        Matcher m = STATIC_IMPORT.matcher(source);
        while (m.find()) {
            String specifier = m.group(2);
            if (specifier.startsWith("./") || specifier.startsWith("../")) {
                specifiers.add(specifier);
            }
        }
        return specifiers;
    }

    /**
     * Every module reachable from {@code entry} by static imports, {@code entry} first, then
     * breadth first. Paths are the keys of {@code files} ({@code /js/app.js}).
     *
     * @throws IllegalStateException if a module imports one that is not in {@code files}: the
     *         client could not start, and a preload of it would only fetch an error
     */
    static SequencedSet<String> reachableFrom(String entry, Map<String, byte[]> files) {
        SequencedSet<String> seen = new LinkedHashSet<>();
        var queue = new ArrayDeque<String>();
        seen.add(entry);
        queue.add(entry);
        while (!queue.isEmpty()) {
            String module = queue.removeFirst();
            byte[] source = files.get(module);
            if (source == null) {
                throw new IllegalStateException("the web client's module " + module + " is imported but does not exist");
            }
            for (String specifier : staticImports(new String(source, StandardCharsets.UTF_8))) {
                String target = resolve(module, specifier);
                if (!files.containsKey(target)) {
                    throw new IllegalStateException(module + " imports " + specifier + ", which does not exist (" + target + ")");
                }
                if (seen.add(target)) {
                    queue.addLast(target);
                }
            }
        }
        return seen;
    }

    /** {@code specifier} ({@code ./x.js}, {@code ../y/z.js}) resolved against the path of {@code module} (RFC 3986, as the browser does). */
    static String resolve(String module, String specifier) {
        String target = URI.create(module).resolve(specifier).normalize().getPath();
        if (target.startsWith("/../")) {
            throw new IllegalStateException(module + " imports " + specifier + ", above the web root");
        }
        return target;
    }
}
