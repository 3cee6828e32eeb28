package dev.servelens.bench.gen;

/**
 * The accelerators a generated sweep runs on, with what the logs and snapshots report about
 * them and a relative speed (H100 = 1) for the performance model.
 */
enum GpuType {
  H100("NVIDIA H100 80GB HBM3", "h100", "watchtower-navy-cn", 8, 80, 81559, 1.0, "9.0"),
  H200("NVIDIA H200", "h200", "eos-h200-", 8, 141, 143771, 1.3, "9.0"),
  B200("NVIDIA B200", "b200", "dgx-b200-", 8, 180, 183359, 2.1, "10.0"),
  GB200("NVIDIA GB200", "gb200", "nvl72-rack1-tray", 4, 186, 189471, 2.5, "10.0");

  final String label;
  final String tag;
  final String hostPrefix;
  final int gpusPerNode;
  final int memoryGb;
  final int memoryMib;
  final double speed;
  final String computeCapability;

  GpuType(
      String label,
      String tag,
      String hostPrefix,
      int gpusPerNode,
      int memoryGb,
      int memoryMib,
      double speed,
      String computeCapability) {
    this.label = label;
    this.tag = tag;
    this.hostPrefix = hostPrefix;
    this.gpusPerNode = gpusPerNode;
    this.memoryGb = memoryGb;
    this.memoryMib = memoryMib;
    this.speed = speed;
    this.computeCapability = computeCapability;
  }
}
