package dev.parley.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.EtagUtils;

/**
 * How the server serves the web client (docs/WEB-CLIENT.md, "Caching and updates"): the page's
 * modules and stylesheets at versioned URLs cached for good, everything else revalidated.
 *
 * <p>Invariants:
 * <ul>
 * <li>The <b>content version</b> {@link #version()} is the first 16 hex digits of a SHA-256
 *     over every file of the web tree (sorted paths, each with its length and bytes), read once
 *     at start. Any change to any file, the page and the service worker included, gives another
 *     version.</li>
 * <li>{@code /v/<version>/css/...} and {@code /v/<version>/js/...} are those files of this
 *     tree; with this server's version they are {@code public, max-age=31536000, immutable}.
 *     With any other version (a page of another deployment, in a rolling restart, asking this
 *     node) the answer is this node's file, {@code no-cache}: an answer rather than a 404, never
 *     kept as that version's content.</li>
 * <li>{@code /} and {@code /index.html} are {@code web/index.html} with its {@code /css/} and
 *     {@code /js/} URLs moved under {@code /v/<version>/}. When the tree has the <b>bundle</b>
 *     {@code js/app.bundle.js} (every module of the app in one file, made by the web module's
 *     build, with the chunks it imports under {@code js/bundle/}) and the server was not told
 *     otherwise, the page's entry script is the bundle with a {@code modulepreload} link for each
 *     chunk it imports statically, and the page loads no module of its own; else the entry is
 *     {@code js/app.js} with a {@code modulepreload}
 *     link for every module of its static import graph ({@link ModuleGraph}), and since modules
 *     import each other by relative URLs, every module loads once, under the prefix. Either way
 *     the page names no unversioned module or stylesheet. {@code /sw.js} is {@code web/sw.js}
 *     with {@code const CONTENT = null;} replaced by this version, so a new deployment is a new
 *     worker, and with the bundle's files (the bundle and every chunk) in
 *     {@code const BUNDLE = null;}. These three are
 *     {@code no-cache} with an ETag ({@code W/"<version>"}) and a Last-Modified (the newest file
 *     of the tree), answered 304 when they match.</li>
 * <li>Everything else under the tree (the manifest, the icons, and {@code /js/...} at its
 *     plain path, for development tools and tests) is answered at its plain path,
 *     {@code no-cache} with the same validators; the icons stay there because the manifest and
 *     notifications name them by their plain paths, and no load waits for them. The WebJars,
 *     whose URLs carry their version, are immutable.</li>
 * </ul>
 * Every file is a route over the bytes read at start ({@link ClasspathTree}; the same bytes the
 * version is computed from), one exact path each: nothing is read from the jar after start.
 */
public final class WebAssets {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String REVALIDATE = "no-cache";
    /** The folders of the tree served under the versioned prefix. */
    static final List<String> VERSIONED_FOLDERS = List.of("/css/", "/js/");
    static final String ENTRY_MODULE = "/js/app.js";
    /**
     * Every module of {@link #ENTRY_MODULE}'s graph bundled (web/pom.xml, esbuild): this entry and
     * its chunks under {@link #BUNDLE_CHUNKS}; absent from builds without it.
     */
    static final String BUNDLE = "/js/app.bundle.js";
    /** The folder of the bundle's chunks: what it imports, statically (code shared) or when first needed. */
    static final String BUNDLE_CHUNKS = "/js/bundle/";
    /** The class-path folder of the WebJars, served under {@code /webjars}. */
    static final String WEBJARS = "META-INF/resources/webjars";
    /** The line of web/sw.js the server fills in with the content version. */
    static final String WORKER_VERSION_LINE = "const CONTENT = null;";
    /** The line of web/sw.js the server fills in with the bundle's files when the page loads it. */
    static final String WORKER_BUNDLE_LINE = "const BUNDLE = null;";

    private static final Pattern LOCAL_URL = Pattern.compile("((?:src|href)=\")(/(?:css|js)/)");
    private static final Pattern ENTRY_SCRIPT = Pattern.compile(
            "\\n([ \\t]*)<script type=\"module\" src=\"" + Pattern.quote(ENTRY_MODULE) + "\"></script>");

    /** A file as answered: its bytes, its type and its ETag. */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final String version;
    private final Map<String, Asset> files;
    /** The WebJars' files by path under {@link #WEBJARS}. */
    private final Map<String, Asset> webjars;
    private final Asset page;
    private final Asset worker;
    private final List<String> preloads;
    private final boolean bundled;
    private final long lastModified;

    private WebAssets(SortedMap<String, byte[]> tree, Instant newest, boolean bundle, Map<String, byte[]> webjars) {
        this.version = version(tree);
        this.lastModified = newest.toEpochMilli() / 1000 * 1000; // HTTP dates have seconds
        this.files = assets(tree);
        this.webjars = assets(webjars);
        String prefix = "/v/" + version;
        // The graph is checked either way: a module imported but missing fails the start.
        List<String> graph = ModuleGraph.reachableFrom(ENTRY_MODULE, tree).stream().map(path -> prefix + path).toList();
        this.bundled = bundle && tree.containsKey(BUNDLE);
        // The bundle's static imports are its shared chunks, fetched at once as the modules' graph is;
        // the bundle itself is the page's script.
        this.preloads = bundled
                ? ModuleGraph.reachableFrom(BUNDLE, tree).stream().filter(path -> !path.equals(BUNDLE))
                        .map(path -> prefix + path).toList()
                : graph;
        String html = text(tree, "/index.html");
        this.page = new Asset(bundled ? bundledPage(html, prefix, preloads) : page(html, prefix, preloads),
                contentType("/index.html"), weakEtag(version));
        List<String> bundleFiles = bundled ? bundleFiles(tree) : null;
        this.worker = new Asset(worker(text(tree, "/sw.js"), version, bundleFiles), contentType("/sw.js"), weakEtag(version));
    }

    /**
     * The web client as the server's class path holds it (folder {@code web}): read once, kept in
     * memory. With {@code bundle}, the page loads the bundle when the tree has one.
     */
    public static WebAssets fromClasspath(String folder, boolean bundle) {
        ClasspathTree tree = ClasspathTree.read(folder);
        return new WebAssets(tree.files(), tree.newest(), bundle, ClasspathTree.read(WEBJARS).files());
    }

    /** A web tree given as paths ({@code /index.html}, {@code /js/app.js}) and bytes; its bundle, if any, used. */
    static WebAssets of(Map<String, byte[]> tree, Instant newest) {
        return of(tree, newest, true);
    }

    static WebAssets of(Map<String, byte[]> tree, Instant newest, boolean bundle) {
        return new WebAssets(new TreeMap<>(tree), newest, bundle, Map.of());
    }

    public String version() {
        return version;
    }

    /**
     * The modulepreload URLs of the page: the entry module and its static graph, or, when the page
     * loads the bundle, the chunks the bundle imports statically.
     */
    public List<String> preloads() {
        return preloads;
    }

    /** Whether the page loads {@link #BUNDLE} rather than the modules one by one. */
    public boolean bundled() {
        return bundled;
    }

    byte[] page() {
        return page.bytes();
    }

    byte[] worker() {
        return worker.bytes();
    }

    /**
     * The page, the worker and the versioned files; every other file of the tree at its plain
     * path, revalidated; the WebJars, immutable. All are routes over the bytes read at start, one
     * exact path each, so no file is read from the jar after start.
     */
    public void register(JavalinConfig javalin) {
        javalin.routes.get("/", ctx -> revalidated(ctx, page));
        javalin.routes.get("/index.html", ctx -> revalidated(ctx, page));
        javalin.routes.get("/sw.js", ctx -> revalidated(ctx, worker));
        javalin.routes.get("/v/{version}/<path>", this::versioned);
        files.forEach((path, asset) -> {
            if (!path.equals("/index.html") && !path.equals("/sw.js")) {
                javalin.routes.get(path, ctx -> revalidated(ctx, asset));
            }
        });
        webjars.forEach((path, asset) -> javalin.routes.get("/webjars" + path, ctx -> tagged(ctx, asset, IMMUTABLE)));
    }

    private void versioned(Context ctx) {
        String path = "/" + ctx.pathParam("path");
        Asset asset = VERSIONED_FOLDERS.stream().anyMatch(path::startsWith) ? files.get(path) : null;
        if (asset == null) {
            ctx.status(HttpStatus.NOT_FOUND).contentType(ContentType.TEXT_PLAIN).result("Not found");
            return;
        }
        tagged(ctx, asset, version.equals(ctx.pathParam("version")) ? IMMUTABLE : REVALIDATE);
    }

    /** A file with its ETag and {@code cacheControl}, 304 to that ETag (a versioned file's, a WebJar's). */
    private static void tagged(Context ctx, Asset asset, String cacheControl) {
        ctx.header(Header.CACHE_CONTROL, cacheControl);
        validators(ctx, asset);
        if (etagMatches(ctx.header(Header.IF_NONE_MATCH), asset.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        answer(ctx, asset);
    }

    private void revalidated(Context ctx, Asset asset) {
        ctx.header(Header.CACHE_CONTROL, REVALIDATE);
        validators(ctx, asset);
        ctx.header(Header.LAST_MODIFIED, DateGenerator.formatDate(lastModified));
        if (notModified(ctx.header(Header.IF_NONE_MATCH), ctx.header(Header.IF_MODIFIED_SINCE), asset.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        answer(ctx, asset);
    }

    /** The ETag, and Vary: Javalin compresses the bytes when the browser accepts it (so a cache must tell the two apart). */
    private static void validators(Context ctx, Asset asset) {
        ctx.header(Header.ETAG, asset.etag());
        ctx.header(Header.VARY, Header.ACCEPT_ENCODING);
    }

    private static void answer(Context ctx, Asset asset) {
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    /** RFC 9110 §13.2.2: If-None-Match decides when present; else If-Modified-Since, against the tree's newest file. */
    boolean notModified(String ifNoneMatch, String ifModifiedSince, String etag) {
        if (ifNoneMatch != null) {
            return etagMatches(ifNoneMatch, etag);
        }
        if (ifModifiedSince != null) {
            long since = DateParser.parseDate(ifModifiedSince);
            return since != -1 && lastModified <= since;
        }
        return false;
    }

    /** Weak comparison against each tag of the list (or {@code *}). */
    static boolean etagMatches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || EtagUtils.matches(t, etag)) {
                return true;
            }
        }
        return false;
    }

    /** index.html with its module and stylesheet URLs under {@code prefix} and the preloads before the entry script. */
    static byte[] page(String html, String prefix, List<String> preloads) {
        return withEntryScript(html, prefix, (indent, entry) -> {
            var links = new StringBuilder("\n").append(indent)
                    .append("<!-- Every module of the app's static import graph, fetched at once (added by the server). -->");
            preloads.forEach(url -> links.append('\n').append(indent).append("<link rel=\"modulepreload\" href=\"").append(url).append("\">"));
            return links + entry;
        });
    }

    /**
     * index.html with its stylesheet URLs under {@code prefix} and the bundle, under it too, as its
     * entry script, after a preload of each chunk it imports statically.
     */
    static byte[] bundledPage(String html, String prefix, List<String> chunkPreloads) {
        return withEntryScript(html, prefix, (indent, entry) -> {
            var lines = new StringBuilder("\n").append(indent)
                    .append("<!-- Every module of the app bundled, and the chunks the bundle imports at once (replaced by the server). -->");
            chunkPreloads.forEach(url -> lines.append('\n').append(indent).append("<link rel=\"modulepreload\" href=\"").append(url).append("\">"));
            return lines.append('\n').append(indent).append("<script type=\"module\" src=\"").append(BUNDLE).append("\"></script>").toString();
        });
    }

    /** The bundle and every chunk of it: the files the page may load when it loads the bundle. */
    private static List<String> bundleFiles(SortedMap<String, byte[]> tree) {
        var files = new ArrayList<String>(List.of(BUNDLE));
        tree.keySet().stream().filter(path -> path.startsWith(BUNDLE_CHUNKS)).forEach(files::add);
        return List.copyOf(files);
    }

    /**
     * index.html with its entry script line (from the line break before it) replaced by what
     * {@code replace} makes of that line's indentation and text, then its {@code /css/} and
     * {@code /js/} URLs moved under {@code prefix}.
     */
    private static byte[] withEntryScript(String html, String prefix, BinaryOperator<String> replace) {
        Matcher entry = ENTRY_SCRIPT.matcher(html);
        if (!entry.find()) {
            throw new IllegalStateException("web/index.html has no <script type=\"module\" src=\"" + ENTRY_MODULE + "\">");
        }
        String replaced = html.substring(0, entry.start()) + replace.apply(entry.group(1), entry.group()) + html.substring(entry.end());
        return LOCAL_URL.matcher(replaced).replaceAll("$1" + Matcher.quoteReplacement(prefix) + "$2")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * sw.js with the content version in place of {@code null} on its one {@link #WORKER_VERSION_LINE}
     * and, when the page loads the bundle ({@code bundleFiles} not null), the bundle's files as an
     * array of paths on its one {@link #WORKER_BUNDLE_LINE}.
     */
    static byte[] worker(String script, String version, List<String> bundleFiles) {
        String versioned = fillLine(script, WORKER_VERSION_LINE, "const CONTENT = '" + version + "';");
        String bundle = bundleFiles == null ? WORKER_BUNDLE_LINE
                : bundleFiles.stream().map(path -> "'" + path + "'").collect(Collectors.joining(", ", "const BUNDLE = [", "];"));
        return fillLine(versioned, WORKER_BUNDLE_LINE, bundle).getBytes(StandardCharsets.UTF_8);
    }

    private static String fillLine(String script, String line, String filled) {
        int at = script.indexOf(line);
        if (at < 0 || script.indexOf(line, at + 1) >= 0) {
            throw new IllegalStateException("web/sw.js must have exactly one line '" + line + "'");
        }
        return script.substring(0, at) + filled + script.substring(at + line.length());
    }

    /** The first 16 hex digits of SHA-256 over (path, 0, length, bytes) of each file, in path order. */
    static String version(SortedMap<String, byte[]> tree) {
        MessageDigest sha256 = sha256();
        tree.forEach((path, bytes) -> {
            sha256.update(path.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
            sha256.update(bytes);
        });
        return hex(sha256.digest()).substring(0, 16);
    }

    private static String text(Map<String, byte[]> tree, String path) {
        byte[] bytes = tree.get(path);
        if (bytes == null) {
            throw new IllegalStateException("the web client has no " + path);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        if (extension.equals("webmanifest")) {
            return "application/manifest+json";
        }
        String type = ContentType.mimeTypeByExtension(extension);
        return type != null ? type : ContentType.OCTET_STREAM;
    }

    /** Each file as answered: its bytes, its type by its extension, its ETag. */
    private static Map<String, Asset> assets(Map<String, byte[]> tree) {
        Map<String, Asset> assets = new HashMap<>();
        tree.forEach((path, bytes) -> assets.put(path, new Asset(bytes, contentType(path), etag(bytes))));
        return Map.copyOf(assets);
    }

    /** A file's ETag: the first 16 hex digits of its SHA-256. */
    private static String etag(byte[] bytes) {
        return weakEtag(hex(sha256().digest(bytes)).substring(0, 16));
    }

    private static String weakEtag(String tag) {
        return "W/\"" + tag + "\"";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
