/**
 * JMH benchmarks and full-size benchmark tools. Open, because JMH's runner reaches the generated
 * {@code jmh_generated} stubs by reflection.
 */
open module io.sparktts.bench {
    requires io.sparktts.core;
    requires io.sparktts.kernels;
    requires jmh.core;
    requires java.management;
    requires jdk.management;
}
