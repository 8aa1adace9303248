package io.sparktts.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches files of a Hugging Face hub model repository: lists them with the hub's tree API (path, size, and the
 * checksum the hub gives: SHA-256 of LFS files, the git blob SHA-1 of the others), downloads each into
 * {@code FILE.part}, resumes an interrupted transfer with an HTTP {@code Range} request, checks size and checksum,
 * then renames the file into place. Files already present with the right size are kept.
 */
final class HubDownload {
    /** One file of the repository as the hub lists it; {@code sha256} is null for non-LFS files. */
    record RemoteFile(String path, long size, String sha256, String gitSha1) {}

    private static final int ATTEMPTS = 5;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final URI endpoint;
    private final String repo;
    private final String revision;
    private final String token;
    private final PrintStream log;
    private final long retryDelayMillis;

    HubDownload(URI endpoint, String repo, String revision, String token, PrintStream log, long retryDelayMillis) {
        this.endpoint = endpoint;
        this.repo = repo;
        this.revision = revision;
        this.token = token;
        this.log = log;
        this.retryDelayMillis = retryDelayMillis;
    }

    /** Every file of the repository at the revision, following the hub's pagination. */
    List<RemoteFile> list() throws IOException {
        List<RemoteFile> files = new ArrayList<>();
        URI next = endpoint.resolve("api/models/" + repo + "/tree/" + encode(revision) + "?recursive=true");
        ObjectMapper json = new ObjectMapper();
        while (next != null) {
            HttpResponse<String> r = send(request(next).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("listing " + repo + " at " + next + " failed: HTTP " + r.statusCode()
                        + (r.statusCode() == 401 || r.statusCode() == 403 ? " (set HF_TOKEN if the repository needs a login)" : ""));
            }
            JsonNode entries = json.readTree(r.body());
            if (!entries.isArray()) {
                throw new IOException("listing " + repo + ": the hub's answer is not a file list");
            }
            for (JsonNode e : entries) {
                if (!"file".equals(e.path("type").asText())) {
                    continue;
                }
                JsonNode lfs = e.path("lfs");
                files.add(new RemoteFile(e.path("path").asText(), e.path("size").asLong(-1),
                        lfs.isObject() ? lfs.path("oid").asText(null) : null, lfs.isObject() ? null : e.path("oid").asText(null)));
            }
            next = r.headers().firstValue("link").map(NEXT_LINK::matcher).filter(Matcher::find)
                    .map(m -> endpoint.resolve(m.group(1))).orElse(null);
        }
        return files;
    }

    /**
     * Makes {@code target} hold the remote file: kept if present with the right size (and, when {@code verify},
     * the right checksum), otherwise downloaded, resuming from {@code target.part}. Returns true if it downloaded.
     */
    boolean fetch(RemoteFile file, Path target, boolean verify) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == file.size()) {
            if (!verify || checksumMatches(file, target)) {
                return false;
            }
            log.println(file.path() + ": checksum mismatch, downloading again");
            Files.delete(target);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        URI uri = endpoint.resolve(repo + "/resolve/" + encode(revision) + "/" + encodePath(file.path()));
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                transfer(uri, file, part);
                last = null;
                break;
            } catch (IOException e) {
                last = e;
                log.println(file.path() + ": transfer interrupted (" + e.getMessage() + "), attempt " + attempt + " of " + ATTEMPTS);
                sleep(retryDelayMillis * attempt);
            }
        }
        if (last != null) {
            throw new IOException(file.path() + ": download failed after " + ATTEMPTS + " attempts: " + last.getMessage()
                    + " (run the command again to resume from " + part.getFileName() + ")");
        }
        long size = Files.size(part);
        if (size != file.size()) {
            throw new IOException(file.path() + ": downloaded " + size + " bytes, the hub lists " + file.size());
        }
        if (!checksumMatches(file, part)) {
            Files.delete(part);
            throw new IOException(file.path() + ": checksum mismatch after download (" + describeChecksum(file)
                    + "); the partial file was removed, run the command again");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** One request: appends to {@code part} from its current length, or starts over if the server ignores Range. */
    private void transfer(URI uri, RemoteFile file, Path part) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (have > file.size()) {
            Files.delete(part);
            have = 0;
        }
        if (have == file.size()) {
            return;
        }
        HttpRequest.Builder req = request(uri);
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> r = send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            boolean append;
            if (r.statusCode() == 206) {
                Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("content-range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new IOException("the server answered Range bytes=" + have + "- with Content-Range '"
                            + r.headers().firstValue("content-range").orElse("") + "'");
                }
                append = true;
            } else if (r.statusCode() == 200) {
                append = false;
                have = 0;
            } else {
                throw new IOException("HTTP " + r.statusCode() + " for " + uri);
            }
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                copy(body, out, file, have);
            }
        }
    }

    private void copy(InputStream in, OutputStream out, RemoteFile file, long have) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = have;
        long start = System.nanoTime();
        long lastReport = start;
        int n;
        while ((n = read(in, buffer, done, file.size())) >= 0) {
            out.write(buffer, 0, n);
            done += n;
            long now = System.nanoTime();
            if (now - lastReport > 1_000_000_000L) {
                double rate = (done - have) / ((now - start) / 1e9);
                log.printf("%s: %.1f of %.1f MB, %.1f MB/s%n", file.path(), done / 1e6, file.size() / 1e6, rate / 1e6);
                lastReport = now;
            }
            if (done > file.size()) {
                throw new IOException("the server sent more than the " + file.size() + " bytes the hub lists");
            }
        }
        if (done < file.size()) {
            throw new IOException("connection lost at byte " + done + " of " + file.size());
        }
    }

    private static int read(InputStream in, byte[] buffer, long done, long size) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new IOException("connection lost at byte " + done + " of " + size + ": " + e.getMessage(), e);
        }
    }

    static boolean checksumMatches(RemoteFile file, Path path) throws IOException {
        if (file.sha256() != null) {
            return hex(digest("SHA-256", null, path)).equalsIgnoreCase(file.sha256());
        }
        if (file.gitSha1() != null) {
            byte[] header = ("blob " + Files.size(path) + "\0").getBytes(StandardCharsets.US_ASCII);
            return hex(digest("SHA-1", header, path)).equalsIgnoreCase(file.gitSha1());
        }
        return true;
    }

    private static String describeChecksum(RemoteFile file) {
        return file.sha256() != null ? "SHA-256 " + file.sha256() : "git blob SHA-1 " + file.gitSha1();
    }

    private static byte[] digest(String algorithm, byte[] prefix, Path path) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                md.update(prefix);
            }
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buffer = new byte[1 << 20];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    md.update(buffer, 0, n);
                }
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("User-Agent", "spark-tts-java");
        Optional.ofNullable(token).filter(t -> !t.isBlank()).ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!b.isEmpty()) b.append('/');
            b.append(encode(segment));
        }
        return b.toString();
    }
}
