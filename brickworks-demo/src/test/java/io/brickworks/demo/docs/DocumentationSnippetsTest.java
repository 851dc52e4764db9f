package io.brickworks.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code ```java} snippet of README.md and docs/*.md compiles against the library as built. */
class DocumentationSnippetsTest {

    @Test
    void everyJavaSnippetCompiles(@TempDir Path out) {
        List<Snippets.Unit> units = new ArrayList<>();
        int blocks = 0;
        for (Path doc : Snippets.documents()) {
            List<Snippets.Block> found = Snippets.javaBlocks(doc);
            blocks += found.size();
            units.addAll(Snippets.units(doc, found));
        }
        assertThat(blocks).as("java snippets found").isGreaterThanOrEqualTo(8);
        Snippets.compile(units, out);
        assertThat(out.resolve("QuickStart.class")).as("the README's program").exists();
    }

    @Test
    void aSnippetThatDoesNotCompileFailsWithItsMarkdownLine(@TempDir Path out) {
        Path doc = Snippets.ROOT.resolve("README.md");
        Snippets.Block broken = new Snippets.Block(doc, 10, "cache.blocking().getKey(42);\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snippets.compile(Snippets.units(doc, List.of(broken)), out))
                .isInstanceOf(AssertionError.class).hasMessageContaining("README.md:10");
    }
}
