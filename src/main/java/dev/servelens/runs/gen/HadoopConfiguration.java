package dev.servelens.runs.gen;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * Ships the driver's Hadoop configuration to the executors (Hadoop's {@link Configuration} is
 * not {@link Serializable}), so settings given with {@code --conf spark.hadoop.*} reach the file
 * systems the tasks write to.
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
