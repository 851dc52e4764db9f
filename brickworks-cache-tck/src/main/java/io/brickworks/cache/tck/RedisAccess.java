package io.brickworks.cache.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How clients reach a harness server: in plain text or over TLS, and as the default user or as a
 * named ACL user with a password. Immutable; {@link #PLAIN} is plain text with the default user.
 *
 * <p>With a user, the server disables the {@code default} user, so a client must authenticate,
 * and the user may run every command on every key and channel.
 */
public final class RedisAccess {

    /** Plain text, the default user, no password. */
    public static final RedisAccess PLAIN = new RedisAccess(null, null, null);

    private final TestCertificates tls;
    private final String user;
    private final String password;

    private RedisAccess(TestCertificates tls, String user, String password) {
        this.tls = tls;
        this.user = user;
        this.password = password;
    }

    /** TLS only (no plain-text port), with a server certificate from {@code certs}. */
    public static RedisAccess tls(TestCertificates certs) {
        return PLAIN.withTls(certs);
    }

    /** Plain text, with the ACL user {@code user} and its {@code password}; the default user is off. */
    public static RedisAccess user(String user, String password) {
        return PLAIN.withUser(user, password);
    }

    /** This access, over TLS with {@code certs}. */
    public RedisAccess withTls(TestCertificates certs) {
        return new RedisAccess(Objects.requireNonNull(certs, "certs"), user, password);
    }

    /** This access, as the ACL user {@code user} with {@code password}. */
    public RedisAccess withUser(String user, String password) {
        if (user == null || user.isBlank() || user.contains(" ")) {
            throw new IllegalArgumentException("user must be a non-empty word but was '" + user + "'");
        }
        if (password == null || password.isEmpty() || password.contains(" ")) {
            throw new IllegalArgumentException("password must be a non-empty word");
        }
        return new RedisAccess(tls, user, password);
    }

    /** This access with the default user (same TLS), as harness Sentinels are reached. */
    RedisAccess withoutUser() {
        return new RedisAccess(tls, null, null);
    }

    /** The certificates when TLS is on, else {@code null}. */
    public TestCertificates tlsCertificates() {
        return tls;
    }

    public boolean isTls() {
        return tls != null;
    }

    /** The ACL user, or {@code null} for the default user. */
    public String user() {
        return user;
    }

    /** The ACL user's password, or {@code null}. */
    public String password() {
        return password;
    }

    /** The {@code redis-server} arguments for a data node listening on {@code port}. */
    List<String> serverArgs(int port) {
        List<String> args = new ArrayList<>();
        if (tls != null) {
            args.addAll(tls.serverArgs(port));
            // replicas and cluster buses talk TLS among themselves too
            args.addAll(List.of("--tls-replication", "yes", "--tls-cluster", "yes"));
        }
        if (user != null) {
            args.addAll(List.of("--user", "default", "off",
                    "--user", user, "on", ">" + password, "~*", "&*", "+@all",
                    "--masteruser", user, "--masterauth", password));
        }
        return args;
    }

    /** The {@code redis-cli} arguments that connect with this access. */
    List<String> cliArgs() {
        List<String> args = new ArrayList<>();
        if (tls != null) {
            args.addAll(tls.cliArgs());
        }
        if (user != null) {
            args.addAll(List.of("--user", user, "--pass", password, "--no-auth-warning"));
        }
        return args;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "RedisAccess{" + (tls != null ? "tls" : "plain") + (user != null ? ", user=" + user : "") + "}";
    }
}
