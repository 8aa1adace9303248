package io.sparktts.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark-tts download} against a hub imitation on loopback: listing, redirects, Range resume, checks. */
class DownloadCommandTest {
    private static final String REPO = "SparkAudio/Spark-TTS-0.5B";
    private static final String BIG = "LLM/model.safetensors";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Number of upcoming transfers of {@link #BIG} to cut off after {@link #cutAt} bytes. */
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile int cutAt;
    private volatile String listedBigSha256;

    @BeforeEach
    void start() throws IOException {
        files.put("config.yaml", "sample_rate: 16000\n".getBytes(StandardCharsets.UTF_8));
        files.put("README.md", "# not part of the checkpoint\n".getBytes(StandardCharsets.UTF_8));
        files.put("LLM/config.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("LLM/tokenizer.json", "{\"model\": {}}".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[300_000];
        new SplittableRandom(5).nextBytes(big);
        files.put(BIG, big);
        files.put("BiCodec/config.yaml", "audio_tokenizer: {}\n".getBytes(StandardCharsets.UTF_8));
        files.put("BiCodec/model.safetensors", new byte[] {1, 2, 3});
        files.put("wav2vec2-large-xlsr-53/config.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("wav2vec2-large-xlsr-53/pytorch_model.bin", new byte[] {9, 9});
        listedBigSha256 = hex("SHA-256", big);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/models/" + REPO + "/tree/main", this::list);
        server.createContext("/" + REPO + "/resolve/main/", ex -> {
            requests.add(ex.getRequestURI().getPath());
            String path = ex.getRequestURI().getPath().substring(("/" + REPO + "/resolve/main/").length());
            ex.getResponseHeaders().add("Location", "/cdn/" + path);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/cdn/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void list(HttpExchange ex) throws IOException {
        StringBuilder json = new StringBuilder("[{\"type\":\"directory\",\"path\":\"LLM\",\"size\":0,\"oid\":\"x\"}");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] b = f.getValue();
            json.append(",{\"type\":\"file\",\"path\":\"").append(f.getKey()).append("\",\"size\":").append(b.length);
            if (f.getKey().equals(BIG)) {
                json.append(",\"oid\":\"0123\",\"lfs\":{\"oid\":\"").append(listedBigSha256).append("\",\"size\":")
                        .append(b.length).append(",\"pointerSize\":134}}");
            } else {
                byte[] header = ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII);
                byte[] blob = new byte[header.length + b.length];
                System.arraycopy(header, 0, blob, 0, header.length);
                System.arraycopy(b, 0, blob, header.length, b.length);
                json.append(",\"oid\":\"").append(hex("SHA-1", blob)).append("\"}");
            }
        }
        byte[] body = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring("/cdn/".length());
        byte[] b = files.get(path);
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add("GET " + path + (range == null ? "" : " " + range));
        int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
        if (range != null) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
        }
        ex.sendResponseHeaders(range == null ? 200 : 206, b.length - from);
        OutputStream out = ex.getResponseBody();
        if (path.equals(BIG) && cutsLeft.getAndDecrement() > 0) {
            out.write(b, from, cutAt - from);
            out.flush();
            ex.close(); // mid-body: the client sees the connection close
            return;
        }
        out.write(b, from, b.length - from);
        out.close();
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int code, String out, String err) {}

    private Result run(String... argv) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(argv);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private void assertCheckpointDownloaded(Path to) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (f.getKey().equals("README.md")) {
                assertFalse(Files.exists(to.resolve("README.md")), "README.md is not part of the checkpoint");
            } else {
                assertArrayEquals(f.getValue(), Files.readAllBytes(to.resolve(f.getKey())), f.getKey());
            }
        }
        assertFalse(Files.exists(to.resolve(BIG + ".part")));
    }

    @Test
    void aTransferCutOffMidFileResumesWithARangeRequest() throws Exception {
        cutsLeft.set(1);
        cutAt = 100_000;
        Path to = dir.resolve("ckpt");
        Result r = run("download", "--to", to.toString(), "--endpoint", endpoint());
        assertEquals(0, r.code(), r.err());
        assertCheckpointDownloaded(to);
        assertEquals(List.of("GET " + BIG, "GET " + BIG + " bytes=100000-"),
                requests.stream().filter(s -> s.startsWith("GET " + BIG)).toList());
        assertTrue(r.err().contains(BIG + ": transfer interrupted (connection lost at byte 100000 of 300000"), r.err());
        assertEquals(to + ": complete Spark-TTS checkpoint (8 files downloaded, 0 already present)\n", r.out());
    }

    @Test
    void aPartialFileLeftByAnEarlierRunIsResumedAndCompleteFilesAreKept() throws Exception {
        Path to = dir.resolve("ckpt");
        Files.createDirectories(to.resolve("LLM"));
        Files.write(to.resolve(BIG + ".part"), java.util.Arrays.copyOf(files.get(BIG), 50_000));
        Files.write(to.resolve("config.yaml"), files.get("config.yaml"));
        Result r = run("download", "--to", to.toString(), "--endpoint", endpoint(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertCheckpointDownloaded(to);
        assertTrue(requests.contains("GET " + BIG + " bytes=50000-"), requests.toString());
        assertFalse(requests.contains("GET config.yaml"), requests.toString());
        assertEquals(to + ": complete Spark-TTS checkpoint (7 files downloaded, 1 already present)\n", r.out());

        requests.clear();
        assertEquals(0, run("download", "--to", to.toString(), "--endpoint", endpoint()).code());
        assertEquals(List.of(), requests, "a complete folder downloads nothing");
    }

    @Test
    void aChecksumMismatchFailsWithOneLineAndRemovesThePartialFile() throws Exception {
        listedBigSha256 = "00".repeat(32);
        Path to = dir.resolve("ckpt");
        Result r = run("download", "--to", to.toString(), "--endpoint", endpoint(), "--quiet");
        assertEquals(1, r.code());
        assertEquals("spark-tts download: " + BIG + ": checksum mismatch after download (SHA-256 " + "00".repeat(32)
                + "); the partial file was removed, run the command again\n", r.err());
        assertFalse(Files.exists(to.resolve(BIG + ".part")));
        assertFalse(Files.exists(to.resolve(BIG)));
    }

    @Test
    void forceRechecksPresentFilesAndFetchesThoseThatDiffer() throws Exception {
        Path to = dir.resolve("ckpt");
        assertEquals(0, run("download", "--to", to.toString(), "--endpoint", endpoint(), "--quiet").code());
        byte[] damaged = files.get(BIG).clone();
        damaged[1234] ^= 1;
        Files.write(to.resolve(BIG), damaged);
        requests.clear();
        assertEquals(0, run("download", "--to", to.toString(), "--endpoint", endpoint(), "--quiet").code());
        assertEquals(List.of(), requests, "same size: kept without --force");
        Result r = run("download", "--to", to.toString(), "--endpoint", endpoint(), "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(BIG + ": checksum mismatch, downloading again"), r.err());
        assertCheckpointDownloaded(to);
    }

    @Test
    void anUnreachableHubIsOneLine() {
        Result r = run("download", "--to", dir.resolve("x").toString(), "--endpoint", endpoint() + "/nothing-here/", "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("spark-tts download: listing " + REPO + " at "), r.err());
        assertTrue(r.err().endsWith("failed: HTTP 404\n"), r.err());
    }
}
