package io.brickworks.cli;

import io.brickworks.cache.internal.Names;
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
 * reached or refused a command; {@value #ABORTED} a purge was not confirmed; {@value #WRONG_TYPE} the key
 * holds another type than asked for; {@value #INCOMPLETE} a purge left keys behind; {@value #SOFTWARE}
 * anything else. Errors, usage errors included, are one line on stderr starting {@code brickworks:},
 * never a stack trace nor the usage text.
 */
@Command(name = "brickworks", mixinStandardHelpOptions = true, version = "brickworks 0.1.0-SNAPSHOT",
        description = "Looks into the store of a Brickworks cache (Redis, Sentinel or Cluster) and purges tenants.",
        subcommands = {StatusCommand.class, TenantsCommand.class, LocksCommand.class, QueuesCommand.class, QueueCommand.class,
                IndicesCommand.class, FunctionsCommand.class, GetCommand.class, DeleteCommand.class,
                PurgeTenantCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the key does not exist (get, delete)", "2:bad flag, argument or setting",
                "3:the store cannot be reached or refused a command", "4:purge not confirmed",
                "5:the key holds another type (get)", "6:the purge left keys behind", "70:an unexpected error"})
public final class Brickworks implements Runnable {

    private static final String LETTUCE_JFR = "io.lettuce.core.jfr";

    static final int OK = 0;
    static final int NOT_FOUND = 1;
    static final int USAGE = 2;
    static final int BACKEND = 3;
    static final int ABORTED = 4;
    static final int WRONG_TYPE = 5;
    static final int INCOMPLETE = 6;
    static final int SOFTWARE = 70;

    private final Map<String, String> env;
    private final InputStream in;
    /** Whether tables escape names; false only in a negative control. */
    private final boolean escapeNames;

    @Spec
    CommandSpec spec;

    Brickworks(Map<String, String> env, InputStream in, boolean escapeNames) {
        this.env = env;
        this.in = in;
        this.escapeNames = escapeNames;
    }

    /** Whether tables escape names (always, but in a negative control). */
    boolean escapeNames() {
        return escapeNames;
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
        // Start-up time: Lettuce's flight-recorder events load the jdk.jfr module; a command that lives
        // for a second records nothing worth it (-Dio.lettuce.core.jfr=true turns them back on).
        if (System.getProperty(LETTUCE_JFR) == null) {
            System.setProperty(LETTUCE_JFR, "false");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), System.in, out, err));
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, env, in, out, err, true);
    }

    /** {@link #run(String[], Map, InputStream, PrintWriter, PrintWriter)}, tables escaping names only if {@code escapeNames}. */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err,
                   boolean escapeNames) {
        CommandLine cli = new CommandLine(new Brickworks(env, in, escapeNames));
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
        cli.setParameterExceptionHandler((e, badArgs) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("brickworks: " + Names.escape(String.valueOf(e.getMessage()))
                    + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
            command.getErr().flush();
            return USAGE;
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
