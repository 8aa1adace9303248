package io.sparktts.cli;

import io.sparktts.core.CheckpointLayout;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** {@code spark-tts download}: fetches the Spark-TTS-0.5B checkpoint folder from the Hugging Face hub. */
final class DownloadCommand implements Command {
    /** The parts of the hub repository that make the checkpoint folder; the rest (README, images) is skipped. */
    private static final List<String> PARTS = List.of("config.yaml", "LLM/", "BiCodec/", "wav2vec2-large-xlsr-53/");

    @Override
    public String name() {
        return "download";
    }

    @Override
    public String summary() {
        return "fetch the Spark-TTS-0.5B checkpoint from the Hugging Face hub (resumes, checks sizes and checksums)";
    }

    @Override
    public String usage() {
        return """
                usage: spark-tts download --to DIR [--repo SparkAudio/Spark-TTS-0.5B] [--revision main] [--force] [--quiet]
                  --to DIR      checkpoint folder to create or complete (config.yaml, LLM/, BiCodec/, wav2vec2-large-xlsr-53/)
                  --repo        hub model repository (default SparkAudio/Spark-TTS-0.5B)
                  --revision    branch, tag or commit (default main)
                  --endpoint    hub address (default $HF_ENDPOINT or https://huggingface.co)
                  --force       re-check the checksums of files already present and fetch again those that differ
                  --quiet       no progress lines
                Files already present with the right size are kept; an interrupted download resumes from FILE.part.
                Each file is checked against the size and checksum the hub lists (SHA-256 for large files).
                Set HF_TOKEN for repositories that need a login.
                The weights are licensed CC BY-NC-SA 4.0: non-commercial use only. Do not use them to impersonate
                anyone without their consent.""";
    }

    @Override
    public int run(Args args) throws Exception {
        Path to = args.path("to");
        String repo = args.string("repo", CheckpointLayout.HUB_REPO);
        String revision = args.string("revision", "main");
        String endpoint = args.string("endpoint", System.getenv().getOrDefault("HF_ENDPOINT", "https://huggingface.co"));
        boolean force = args.flag("force");
        boolean quiet = args.flag("quiet");
        args.finish();
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().getFirst() + "'");
        }
        URI base;
        try {
            base = URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--endpoint '" + endpoint + "' is not a URL");
        }
        var log = quiet ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.err;
        HubDownload hub = new HubDownload(base, repo, revision, System.getenv("HF_TOKEN"), log, 200);
        List<HubDownload.RemoteFile> files = hub.list().stream()
                .filter(f -> PARTS.stream().anyMatch(p -> p.endsWith("/") ? f.path().startsWith(p) : f.path().equals(p)))
                .toList();
        if (files.isEmpty()) {
            throw new java.io.IOException(repo + " at " + revision + " has none of " + PARTS + "; is it a Spark-TTS checkpoint?");
        }
        long total = files.stream().mapToLong(HubDownload.RemoteFile::size).sum();
        log.printf("%s: %d files, %.1f MB, into %s%n", repo, files.size(), total / 1e6, to);
        int fetched = 0;
        for (HubDownload.RemoteFile f : files) {
            if (f.path().contains("..") || f.path().startsWith("/")) {
                throw new java.io.IOException("the hub listed an unsafe path '" + f.path() + "'");
            }
            boolean downloaded = hub.fetch(f, to.resolve(f.path()), force);
            log.println(f.path() + (downloaded ? ": downloaded" : ": already present"));
            fetched += downloaded ? 1 : 0;
        }
        new CheckpointLayout(to).check(true);
        System.out.println(to + ": complete Spark-TTS checkpoint (" + fetched + " files downloaded, " + (files.size() - fetched)
                + " already present)");
        return 0;
    }
}
