package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The published artifacts stay complete as modules are added: every module that publishes its
 * javadoc is in the BOM at the parent's version, and every jar module names its automatic module.
 */
class BuildFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> texts(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().trim());
        }
        return out;
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheParentsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("brickworks-bom/pom.xml"));
        assertThat(child(bom.getDocumentElement(), "version")).as("the BOM's version")
                .isEqualTo(child(parent.getDocumentElement(), "version"));
        List<String> managed = texts(bom, "artifactId");
        List<String> published = new ArrayList<>();
        for (String module : texts(parent, "module")) {
            Path pom = ROOT.resolve(module).resolve("pom.xml");
            String text = Files.readString(pom);
            if (module.equals("brickworks-bom")) {
                continue;
            }
            assertThat(text).as("%s sets automatic.module.name", module).contains("<automatic.module.name>io.brickworks.");
            if (!text.contains("<maven.javadoc.skip>true</maven.javadoc.skip>")) {
                published.add(module);
            }
        }
        assertThat(published).contains("brickworks-cache", "brickworks-cache-redis");
        assertThat(managed).containsAll(published);
    }
}
