package dev.servelens.bench.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One row of {@code _truth/expected.csv}, read by plain splitting (no field holds a comma). */
record TruthRow(
    String jobId,
    String runDir,
    String runStatus,
    String metadataShape,
    String mode,
    String gpuType,
    int totalGpus,
    int isl,
    int osl,
    String expected,
    String present,
    String complete,
    int concurrency,
    String resultFile,
    String resultPath,
    String outputThroughput,
    String totalTokenThroughput,
    String meanTpotMs,
    String outputTpsPerGpu,
    String totalTpsPerGpu,
    String tpsPerUser) {

  static final String HEADER = "job_id,run_dir,run_status,metadata_shape,mode,gpu_type,"
      + "total_gpus,isl,osl,expected_concurrencies,present_concurrencies,complete,concurrency,"
      + "result_file,result_path,output_throughput,total_token_throughput,mean_tpot_ms,"
      + "output_tps_per_gpu,total_tps_per_gpu,tps_per_user";

  static List<TruthRow> read(Path tree) throws IOException {
    List<String> lines = Files.readAllLines(
        tree.resolve("_truth").resolve("expected.csv"), StandardCharsets.UTF_8);
    if (!lines.get(0).equals(HEADER)) {
      throw new IllegalStateException("unexpected truth header " + lines.get(0));
    }
    List<TruthRow> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length != 21) {
        throw new IllegalStateException("truth row with " + f.length + " fields: " + line);
      }
      rows.add(new TruthRow(f[0], f[1], f[2], f[3], f[4], f[5], Integer.parseInt(f[6]),
          Integer.parseInt(f[7]), Integer.parseInt(f[8]), f[9], f[10], f[11],
          Integer.parseInt(f[12]), f[13], f[14], f[15], f[16], f[17], f[18], f[19], f[20]));
    }
    return rows;
  }

  /** {@code 16x32x64} as numbers; empty for an empty list. */
  static List<Integer> concurrencies(String list) {
    return list.isEmpty() ? List.of()
        : Arrays.stream(list.split("x")).map(Integer::valueOf).toList();
  }
}
