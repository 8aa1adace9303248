package io.sparktts.core.pipeline;

import io.sparktts.core.SparkTtsException;
import io.sparktts.core.bicodec.BiCodecConfig;
import io.sparktts.core.bicodec.BiCodecDecoder;
import java.io.IOException;
import java.util.Arrays;

/**
 * Turns semantic tokens into audio while they are still being generated. Each chunk is decoded inside a window
 * that extends {@link #receptiveField} frames beyond it on both sides, and only the chunk's own samples are kept, so
 * the concatenated chunks equal the one-shot {@link BiCodecDecoder#decode} of all tokens (the decoder has no
 * sequence-wide operation: every output sample depends only on frames within its receptive field). The price is
 * latency: a chunk is decoded once the LM has generated that many frames past its end.
 */
public final class StreamingDecoder {
    /** Receives audio as it is decoded (16 kHz mono samples in order). */
    @FunctionalInterface
    public interface AudioSink {
        void accept(float[] samples) throws IOException;
    }

    private final BiCodecDecoder decoder;
    private final int[] globalTokens;
    private final int firstChunk;
    private final int chunk;
    private final int context;
    private final int hop;
    private final AudioSink sink;
    private int[] tokens = new int[256];
    private int count;
    private int emitted;

    /**
     * @param firstChunkFrames frames of the first chunk (small for an early first audio)
     * @param chunkFrames      frames of every later chunk
     * @param contextFrames    frames decoded beyond each side of a chunk; {@link #receptiveField} for exact output
     */
    public StreamingDecoder(BiCodecDecoder decoder, int[] globalTokens, int firstChunkFrames, int chunkFrames,
                            int contextFrames, AudioSink sink) throws SparkTtsException {
        if (firstChunkFrames < 1 || chunkFrames < 1 || contextFrames < 0) {
            throw new IllegalArgumentException("chunks must be at least one frame, context not negative");
        }
        this.decoder = decoder;
        this.globalTokens = globalTokens.clone();
        this.firstChunk = firstChunkFrames;
        this.chunk = chunkFrames;
        this.context = contextFrames;
        this.sink = sink;
        this.hop = decoder.outputLength(1);
        if (decoder.outputLength(64) != 64 * hop) {
            throw new SparkTtsException("BiCodec: streaming needs a decoder with a fixed number of samples per frame");
        }
    }

    /**
     * Frames on each side of an output frame that can influence it, an upper bound from the configuration: the
     * prenet's k=7 convolutions (one embedding conv and one depthwise conv per ConvNeXt block, in each Vocos
     * backbone) and the WaveGenerator's convolutions, transposed convolutions and dilated residual units, each
     * converted to frames at the resolution it runs at.
     */
    public static int receptiveField(BiCodecConfig config) {
        BiCodecConfig.FeatDecoderConfig prenet = config.prenet();
        double frames = 0;
        for (int ratio : prenet.sampleRatios()) {
            frames += 3 * (1 + 2) + (ratio == 1 ? 0 : 2); // an inner 2-layer backbone, plus the resampling conv
        }
        frames += 3 * (1 + prenet.vocosNumLayers());
        BiCodecConfig.WaveGeneratorConfig wave = config.decoder();
        frames += 3; // input conv, k=7
        long resolution = 1;
        for (int i = 0; i < wave.rates().size(); i++) {
            int stride = wave.rates().get(i);
            int kernel = wave.kernelSizes().get(i);
            frames += Math.ceil((double) kernel / stride) / resolution;
            resolution *= stride;
            frames += 3.0 * (1 + 3 + 9) / resolution; // residual units, k=7 with dilations 1, 3, 9
        }
        frames += 3.0 / resolution; // output conv, k=7
        return (int) Math.ceil(frames) + 1;
    }

    /** Adds one generated semantic token; decodes and hands out a chunk when enough context follows it. */
    public void add(int semanticToken) throws IOException {
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, 2 * count);
        }
        tokens[count++] = semanticToken;
        int size = emitted == 0 ? firstChunk : chunk;
        if (count >= emitted + size + context) {
            emit(emitted + size);
        }
    }

    /** Decodes and hands out the rest; call once when the LM has finished. */
    public void finish() throws IOException {
        if (count > emitted) {
            emit(count);
        }
    }

    /** Semantic tokens received so far. */
    public int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    private void emit(int to) throws IOException {
        int from = emitted;
        int windowStart = Math.max(0, from - context);
        int windowEnd = Math.min(count, to + context);
        float[] audio = decoder.decode(Arrays.copyOfRange(tokens, windowStart, windowEnd), globalTokens);
        sink.accept(Arrays.copyOfRange(audio, (from - windowStart) * hop, (to - windowStart) * hop));
        emitted = to;
    }
}
