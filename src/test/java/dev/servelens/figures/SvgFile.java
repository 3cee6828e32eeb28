package dev.servelens.figures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A rendered SVG parsed with the JDK's XML parser, with look-ups by element and class. */
final class SvgFile {
  private final Document document;

  private SvgFile(Document document) {
    this.document = document;
  }

  static SvgFile parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return new SvgFile(factory.newDocumentBuilder().parse(file.toFile()));
  }

  Element root() {
    return document.getDocumentElement();
  }

  /** Elements named {@code tag} whose class list holds every one of {@code classes}. */
  List<Element> elements(String tag, String... classes) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = document.getElementsByTagName(tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      Element element = (Element) nodes.item(i);
      if (Arrays.asList(element.getAttribute("class").split(" "))
          .containsAll(Arrays.asList(classes))) {
        found.add(element);
      }
    }
    return found;
  }

  /** Elements of {@code tag} and {@code cls} drawn for the data series {@code series}. */
  List<Element> series(String tag, String cls, String series) {
    return elements(tag, cls).stream()
        .filter(element -> element.getAttribute("data-series").equals(series)).toList();
  }

  /** The text of every {@code text} element with these classes, in document order. */
  List<String> texts(String... classes) {
    return elements("text", classes).stream().map(Element::getTextContent).toList();
  }

  /** Vertices of a polyline. */
  static int vertices(Element polyline) {
    String points = polyline.getAttribute("points").strip();
    return points.isEmpty() ? 0 : points.split("\\s+").length;
  }

  String title() {
    return document.getElementsByTagName("title").item(0).getTextContent();
  }
}
