package dev.servelens.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG written must decode (by ImageIO, a second decoder) to the very pixels drawn. */
class PngEncoderTest {
  @Test
  void decodesToThePixelsDrawn() throws Exception {
    BufferedImage image = new BufferedImage(301, 97, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, 301, 97);
    graphics.setColor(new Color(31, 119, 180));
    graphics.drawLine(0, 96, 300, 0);
    graphics.setColor(new Color(255, 127, 14));
    graphics.fillOval(40, 10, 60, 50);
    graphics.drawString("p99 = 4.2 s", 150, 80);
    graphics.dispose();
    image.setRGB(300, 96, 0x123456);

    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image)));
    assertThat(decoded.getWidth()).isEqualTo(301);
    assertThat(decoded.getHeight()).isEqualTo(97);
    int differing = 0;
    for (int y = 0; y < 97; y++) {
      for (int x = 0; x < 301; x++) {
        if ((decoded.getRGB(x, y) & 0xffffff) != (image.getRGB(x, y) & 0xffffff)) {
          differing++;
        }
      }
    }
    assertThat(differing).isZero();
    assertThat(decoded.getRGB(300, 96) & 0xffffff).isEqualTo(0x123456);
  }
}
