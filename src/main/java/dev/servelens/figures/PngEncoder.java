package dev.servelens.figures;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes an RGB image as PNG (8-bit truecolour, no interlace), every row with the "up"
 * filter. Charts are mostly flat colour, which that filter and a fast deflate compress well;
 * ImageIO's encoder tries every filter on every row and costs several times more.
 */
final class PngEncoder {
  private PngEncoder() {}

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int FILTER_UP = 2;

  static byte[] encode(BufferedImage image) {
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException("expected an RGB image, got type " + image.getType());
    }
    int width = image.getWidth();
    int height = image.getHeight();
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    try {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
        byte[] previous = new byte[width * 3];
        byte[] row = new byte[width * 3];
        byte[] filtered = new byte[width * 3 + 1];
        filtered[0] = FILTER_UP;
        for (int y = 0; y < height; y++) {
          int offset = y * width;
          for (int x = 0; x < width; x++) {
            int rgb = pixels[offset + x];
            row[3 * x] = (byte) (rgb >>> 16);
            row[3 * x + 1] = (byte) (rgb >>> 8);
            row[3 * x + 2] = (byte) rgb;
          }
          for (int i = 0; i < row.length; i++) {
            filtered[i + 1] = (byte) (row[i] - previous[i]);
          }
          deflate.write(filtered);
          byte[] swap = previous;
          previous = row;
          row = swap;
        }
      } finally {
        deflater.end();
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream(compressed.size() + 64);
      DataOutputStream out = new DataOutputStream(png);
      out.write(SIGNATURE);
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      DataOutputStream headerData = new DataOutputStream(header);
      headerData.writeInt(width);
      headerData.writeInt(height);
      headerData.writeByte(8); // bits per sample
      headerData.writeByte(2); // truecolour
      headerData.writeByte(0); // deflate
      headerData.writeByte(0); // adaptive filtering
      headerData.writeByte(0); // no interlace
      chunk(out, "IHDR", header.toByteArray());
      chunk(out, "IDAT", compressed.toByteArray());
      chunk(out, "IEND", new byte[0]);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
