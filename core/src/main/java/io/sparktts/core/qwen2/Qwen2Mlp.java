package io.sparktts.core.qwen2;

import io.sparktts.kernels.Silu;
import io.sparktts.kernels.WeightMatrix;

/** The SwiGLU MLP of one decoder layer ({@code mlp}): {@code down(silu(gate(x)) * up(x))}, no biases. */
final class Qwen2Mlp {
    private final WeightMatrix[] gateUp;
    private final WeightMatrix down;

    Qwen2Mlp(WeightMatrix gate, WeightMatrix up, WeightMatrix down) {
        this.gateUp = new WeightMatrix[] {gate, up};
        this.down = down;
    }

    long weightBytes() {
        return gateUp[0].byteSize() + gateUp[1].byteSize() + down.byteSize();
    }

    /** {@code ws.projected = mlp(ws.normed)} for {@code tokens} rows. */
    void forward(Qwen2Session.Workspace ws, int tokens) {
        int intermediate = gateUp[0].rows();
        if (tokens == 1) {
            WeightMatrix.multiply(ws.normed, gateUp, ws.gateUpOutputs);
            Silu.gate(ws.gate, ws.up, 0, intermediate);
            down.multiply(ws.gate, ws.projected);
        } else {
            gateUp[0].multiply(ws.normed, tokens, ws.gate);
            gateUp[1].multiply(ws.normed, tokens, ws.up);
            Silu.gate(ws.gate, ws.up, 0, tokens * intermediate);
            down.multiply(ws.gate, tokens, ws.projected);
        }
    }
}
