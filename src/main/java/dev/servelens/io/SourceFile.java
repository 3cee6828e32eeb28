package dev.servelens.io;

import java.io.Serializable;

/**
 * One input file as listed from its file system: the identity the ingest manifest keys on.
 *
 * @param path fully qualified Hadoop path, e.g. {@code file:/data/a.csv} or {@code s3a://b/a.csv}
 * @param sizeBytes length in bytes
 * @param modifiedAtMillis modification time, epoch milliseconds
 */
public record SourceFile(String path, long sizeBytes, long modifiedAtMillis)
    implements Serializable {}
