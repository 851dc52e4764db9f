package io.brickworks.demo.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Java snippets of the documentation, turned into compilation units and compiled with the test
 * class path. A markdown file's {@code ```java} blocks are of three kinds:
 * <ul>
 * <li>a <b>program</b> (it declares {@code public static void main}): compiled as it stands, as its own
 *     file;</li>
 * <li>a <b>declaration</b> (it starts, after any annotations, with a type declaration such as
 *     {@code public interface Prices ...} or a method declaration such as {@code public void job()}):
 *     a member of the file's class;</li>
 * <li>anything else is <b>statements</b>: the body of a method of the file's class.</li>
 * </ul>
 * The file's class imports the library's packages and holds the file's context, the fields and
 * helper types its snippets assume ({@code log}, {@code invoices}, ...), from the test resource
 * {@code snippets/<file name>.context}.
 */
final class Snippets {

    /** The repository root (tests run in the module's directory). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern FENCE = Pattern.compile("^```java\\s*$");
    private static final Pattern PROGRAM_CLASS = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)");
    private static final Pattern DECLARATION = Pattern.compile(
            "^(?:@\\w+(?:\\(.*\\))?\\s+)*(?:(?:public|abstract|final|static|sealed)\\s+)*(?:interface|class|record|enum)\\s+\\w+.*");

    /** A method declaration: explicit modifiers, or {@code void}, then a name and its parameters. */
    private static final Pattern METHOD = Pattern.compile(
            "^(?:(?:(?:public|protected|private|static|final|synchronized|abstract)\\s+)+[\\w<>\\[\\],?. ]+|void)\\s+\\w+\\s*\\(.*");

    private static final String IMPORTS = String.join("\n",
            "import io.brickworks.cache.*;",
            "import io.brickworks.cache.function.*;",
            "import io.brickworks.cache.lock.*;",
            "import io.brickworks.cache.queue.*;",
            "import io.brickworks.cache.admin.*;",
            "import io.brickworks.cache.micrometer.BrickworksCacheMetrics;",
            "import io.brickworks.cache.redis.RedisBackendBuilder;",
            "import io.lettuce.core.resource.ClientResources;",
            "import io.micrometer.core.instrument.MeterRegistry;",
            "import io.micrometer.core.instrument.Tags;",
            "import io.brickworks.cache.spi.CacheBackendException;",
            "import io.brickworks.db.*;",
            "import io.brickworks.tx.*;",
            "import io.brickworks.spring.scheduling.*;",
            "import io.brickworks.console.*;",
            "import com.sun.net.httpserver.HttpServer;",
            "import java.net.InetSocketAddress;",
            "import javax.cache.Cache;",
            "import javax.cache.CacheManager;",
            "import javax.cache.Caching;",
            "import javax.cache.configuration.MutableConfiguration;",
            "import javax.cache.expiry.CreatedExpiryPolicy;",
            "import javax.cache.spi.CachingProvider;",
            "import io.micrometer.core.instrument.binder.cache.JCacheMetrics;",
            "import org.springframework.scheduling.annotation.Scheduled;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.atomic.*;",
            "import org.slf4j.Logger;",
            "import org.slf4j.LoggerFactory;",
            "");

    private Snippets() {
    }

    /** One {@code ```java} block: where it is and its text. */
    record Block(Path file, int line, String code) {
        boolean isProgram() {
            return code.contains("public static void main(");
        }

        boolean isDeclaration() {
            for (String l : code.split("\n")) {
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("//") || t.startsWith("@")) {
                    continue;   // comments, and the annotations of a declaration
                }
                return DECLARATION.matcher(t).matches() || METHOD.matcher(t).matches();
            }
            return false;
        }

        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    /** The markdown files whose snippets must compile: the README and every page of docs/. */
    static List<Path> documents() {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (var files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The {@code ```java} blocks of {@code file}, in order. */
    static List<Block> javaBlocks(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!FENCE.matcher(lines.get(i)).matches()) {
                continue;
            }
            int start = i + 1;
            StringBuilder code = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            blocks.add(new Block(file, start + 1, code.toString()));
        }
        return blocks;
    }

    /** A source to compile, with the markdown line of each of its lines (0 for generated lines). */
    record Unit(String className, String source, List<String> origins) {
    }

    /** The compilation units of {@code file}'s blocks: one per program, one for the rest. */
    static List<Unit> units(Path file, List<Block> blocks) {
        List<Unit> units = new ArrayList<>();
        String name = "Snippets_" + file.getFileName().toString().replace(".md", "").replaceAll("\\W", "_")
                .toLowerCase(Locale.ROOT);
        List<String> src = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        IMPORTS.lines().forEach(l -> add(src, origins, l, null));
        add(src, origins, "@SuppressWarnings(\"all\") class " + name + " {", null);
        String context = context(file);
        context.lines().forEach(l -> add(src, origins, l, null));
        for (Block b : blocks) {
            if (b.isProgram()) {
                Matcher m = PROGRAM_CLASS.matcher(b.code());
                if (!m.find()) {
                    throw new AssertionError(b.where() + ": a program snippet must declare a public class");
                }
                List<String> origin = new ArrayList<>();
                for (int i = 0; i < b.code().split("\n", -1).length; i++) {
                    origin.add(ROOT.relativize(file) + ":" + (b.line() + i));
                }
                units.add(new Unit(m.group(1), b.code(), origin));
            } else if (b.isDeclaration()) {
                addBlock(src, origins, b);
            } else {
                add(src, origins, "void snippetAtLine" + b.line() + "() throws Exception {", null);
                addBlock(src, origins, b);
                add(src, origins, "}", null);
            }
        }
        add(src, origins, "}", null);
        units.add(new Unit(name, String.join("\n", src), origins));
        return units;
    }

    private static void add(List<String> src, List<String> origins, String line, String origin) {
        src.add(line);
        origins.add(origin);
    }

    private static void addBlock(List<String> src, List<String> origins, Block b) {
        String[] lines = b.code().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            add(src, origins, lines[i], ROOT.relativize(b.file()) + ":" + (b.line() + i));
        }
    }

    private static String context(Path file) {
        String resource = "/snippets/" + file.getFileName() + ".context";
        try (InputStream in = Snippets.class.getResourceAsStream(resource)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class path of this test JVM, for the compiler and for programs it starts. */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /**
     * Compiles {@code units} into {@code out}.
     *
     * @throws AssertionError listing each error at its markdown line
     */
    static void compile(List<Unit> units, Path out) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Unit u : units) {
            sources.add(new SimpleJavaFileObject(java.net.URI.create("string:///" + u.className() + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return u.source();
                }
            });
        }
        List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", classPath());
        boolean ok = compiler.getTask(null, null, diagnostics, options, null, sources).call();
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> where(units, d) + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
        if (!ok || !errors.isEmpty()) {
            throw new AssertionError("documentation snippets do not compile:\n" + String.join("\n", errors));
        }
    }

    private static String where(List<Unit> units, Diagnostic<? extends JavaFileObject> d) {
        String name = d.getSource() == null ? "" : d.getSource().getName();
        for (Unit u : units) {
            if (name.endsWith("/" + u.className() + ".java") && d.getLineNumber() > 0) {
                String origin = u.origins().get((int) d.getLineNumber() - 1);
                return origin != null ? origin : u.className() + " line " + d.getLineNumber() + " (generated)";
            }
        }
        return name;
    }
}
