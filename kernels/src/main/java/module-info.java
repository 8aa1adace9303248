/** Vector API math kernels over float arrays and memory segments; knows nothing of models. */
module io.sparktts.kernels {
    requires transitive jdk.incubator.vector;
    exports io.sparktts.kernels;
}
