package dev.servelens.runs.gen;

import java.io.Serializable;

/**
 * Everything one Spark task needs to write one run directory.
 *
 * @param index position of the run in the set (0-based)
 * @param system the simulated serving system
 * @param concurrency number of concurrent agents
 * @param name directory name, also the run id of the ground truth
 * @param relativeDir path of the run directory under the output directory
 * @param startSecond epoch second at which the launcher starts
 * @param seed seed of all the run's draws
 * @param stuck whether some tasks hang until the run is killed
 * @param contaminated whether a second sampler (another port) writes into the KV file
 * @param withoutDriverLog whether driver.log is missing
 * @param big real-sized logs
 * @param dirtyFraction probability that a record is malformed
 */
record RunSpec(
    int index,
    SystemProfile system,
    int concurrency,
    String name,
    String relativeDir,
    long startSecond,
    long seed,
    boolean stuck,
    boolean contaminated,
    boolean withoutDriverLog,
    boolean big,
    double dirtyFraction)
    implements Serializable {}
