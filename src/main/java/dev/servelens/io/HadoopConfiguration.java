package dev.servelens.io;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * Ships the driver's Hadoop configuration to Spark tasks (Hadoop's {@link Configuration} is
 * {@code Writable}, not {@link Serializable}), so executors open file systems with the driver's
 * settings: those given with {@code --conf spark.hadoop.*}, credentials for s3a, the HDFS name
 * node.
 */
public final class HadoopConfiguration implements Serializable {

  private static final long serialVersionUID = 1L;

  private transient Configuration configuration;

  /** Wraps {@code configuration}; it is written out when this object is serialised. */
  public HadoopConfiguration(Configuration configuration) {
    this.configuration = configuration;
  }

  /** The wrapped configuration (on an executor, the copy read back from the driver's). */
  public Configuration get() {
    return configuration;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    configuration.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    configuration = new Configuration(false);
    configuration.readFields(in);
  }
}
