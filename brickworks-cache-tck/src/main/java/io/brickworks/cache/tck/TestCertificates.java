package io.brickworks.cache.tck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate signed by it, generated with the
 * {@code openssl} command line tool into a temporary folder. The server certificate is valid for
 * {@code 127.0.0.1} and {@code localhost} (subject alternative names), so clients that verify the
 * host name accept it once they trust {@link #caCertificate()}.
 *
 * <pre>{@code
 * try (TestCertificates certs = TestCertificates.generate();
 *      RedisServer redis = RedisServer.start(RedisAccess.tls(certs))) { ... }
 * }</pre>
 */
public final class TestCertificates implements AutoCloseable {

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Generates a new CA (EC P-256) and a server certificate signed by it.
     *
     * @throws IllegalStateException when {@code openssl} is missing or fails, with its output
     */
    public static TestCertificates generate() {
        String openssl = RedisServer.requireBinary("openssl");
        Path dir;
        try {
            dir = Files.createTempDirectory("brickworks-tls-");
            Files.writeString(dir.resolve("server.ext"),
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                            + "basicConstraints=CA:FALSE\n"
                            + "keyUsage=digitalSignature,keyEncipherment\n"
                            + "extendedKeyUsage=serverAuth,clientAuth\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a folder for test certificates", e);
        }
        run(dir, openssl, "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Brickworks Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        run(dir, openssl, "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        run(dir, openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        return new TestCertificates(dir);
    }

    private static void run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed (" + p.exitValue() + "): " + String.join(" ", cmd)
                        + "\n" + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running openssl", e);
        }
    }

    /** The PEM file of the CA certificate, the one a client must trust. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** The PEM file of the server certificate (signed by the CA, for 127.0.0.1 and localhost). */
    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    /** The PEM file of the server certificate's private key. */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The {@code redis-server} arguments that serve TLS only, on {@code port}, with these certificates. */
    List<String> serverArgs(int port) {
        return List.of("--port", "0", "--tls-port", String.valueOf(port),
                "--tls-cert-file", serverCertificate().toString(),
                "--tls-key-file", serverKey().toString(),
                "--tls-ca-cert-file", caCertificate().toString(),
                "--tls-auth-clients", "no");
    }

    /** The {@code redis-cli} arguments that connect with TLS and trust the CA. */
    List<String> cliArgs() {
        return new ArrayList<>(List.of("--tls", "--cacert", caCertificate().toString()));
    }

    /** An SSL context that trusts only the test CA (for the harness's own readiness checks). */
    SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("brickworks-test-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test CA certificate " + caCertificate(), e);
        }
    }

    /** Deletes the generated files. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort only
        }
    }
}
