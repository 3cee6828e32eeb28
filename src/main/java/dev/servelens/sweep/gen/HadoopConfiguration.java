package dev.servelens.sweep.gen;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that travels to Spark tasks (it is {@code Writable}, not
 * {@code Serializable}), so executors open the output file system with the driver's settings
 * (credentials for s3a, the HDFS name node).
 */
final class HadoopConfiguration implements Serializable {

  private static final long serialVersionUID = 1L;

  private transient Configuration configuration;

  HadoopConfiguration(Configuration configuration) {
    this.configuration = configuration;
  }

  Configuration get() {
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
