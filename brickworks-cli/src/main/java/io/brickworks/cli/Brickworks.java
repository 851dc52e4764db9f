package io.brickworks.cli;

import io.brickworks.cache.spi.CacheBackendException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The operator command line, {@code brickworks}: one subcommand per question (see
 * {@code brickworks --help}). Configured like the library, by the environment
 * ({@code USE_REDIS}, {@code REDIS_*}, {@code REDIS_CLUSTER_NODES}, ...), with flags that override it.
 *
 * <p>Exit codes, for scripts: {@value #OK} done; {@value #NOT_FOUND} the key asked for does not
 * exist; {@value #USAGE} a bad flag, argument or setting; {@value #BACKEND} the store cannot be
 * reached or refused a command; {@value #ABORTED} a purge was not confirmed; {@value #SOFTWARE}
 * anything else. Errors are one line on stderr, never a stack trace.
 */
@Command(name = "brickworks", mixinStandardHelpOptions = true, version = "brickworks 0.1.0-SNAPSHOT",
        description = "Looks into the store of a Brickworks cache (Redis, Sentinel or Cluster) and purges tenants.",
        subcommands = {StatusCommand.class, TenantsCommand.class, LocksCommand.class, QueuesCommand.class, QueueCommand.class,
                IndicesCommand.class, FunctionsCommand.class, GetCommand.class, DeleteCommand.class,
                PurgeTenantCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the key does not exist (get, delete)", "2:bad flag, argument or setting",
                "3:the store cannot be reached or refused a command", "4:purge not confirmed",
                "70:an unexpected error"})
public final class Brickworks implements Runnable {

    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int USAGE = 2;
    static final int BACKEND = 3;
    static final int ABORTED = 4;
    static final int SOFTWARE = 70;

    private final Map<String, String> env;
    private final InputStream in;

    @Spec
    CommandSpec spec;

    Brickworks(Map<String, String> env, InputStream in) {
        this.env = env;
        this.in = in;
    }

    /** The environment the settings are read from. */
    Map<String, String> env() {
        return env;
    }

    /** Where confirmations are read from. */
    InputStream in() {
        return in;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (status, tenants, "
                + "locks, queues, queue, indices, functions, get, delete, purge-tenant)");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), System.in, out, err));
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Brickworks(env, in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            Throwable cause = unwrap(e);
            int code = cause instanceof CacheBackendException ? BACKEND
                    : cause instanceof IllegalArgumentException || cause instanceof IllegalStateException ? USAGE
                    : SOFTWARE;
            command.getErr().println("brickworks: " + cause.getMessage());
            command.getErr().flush();
            return code;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
