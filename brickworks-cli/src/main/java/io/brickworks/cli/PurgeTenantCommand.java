package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.PurgeReport;
import io.brickworks.cache.internal.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "purge-tenant", mixinStandardHelpOptions = true,
        description = {"Deletes every key of a tenant (every namespace; its locks only with --include-locks).",
                "Counts first and asks to type the tenant's name unless --yes; --dry-run only counts."})
final class PurgeTenantCommand extends CacheCommand {

    @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant to purge.")
    String tenant;

    @Option(names = "--include-locks", description = "Delete its locks and fencing counters too.")
    boolean includeLocks;

    @Option(names = "--dry-run", description = "Only count what would be deleted.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    int run(BrickworksCache cache) {
        CacheAdmin admin = cache.admin().onProgress(progress());
        if (!dryRun && !yes) {
            PurgeReport preview = await(admin.purgeTenant(tenant, includeLocks, true));
            endProgress();
            if (!json) {
                print(preview);
            }
            if (preview.keys() == 0) {
                return Brickworks.OK;
            }
            err().print("Delete these " + preview.keys() + " keys of tenant " + Names.show(tenant)
                + "? Type the tenant's name to confirm: ");
            err().flush();
            if (!tenant.equals(readLine())) {
                err().println("brickworks: not confirmed; nothing was deleted");
                return Brickworks.ABORTED;
            }
        }
        PurgeReport report = await(admin.purgeTenant(tenant, includeLocks, dryRun));
        endProgress();
        print(report);
        if (!report.complete()) {
            err().println("brickworks: " + report.remaining() + " keys of tenant " + Names.show(tenant)
                    + " are left after the purge (could not be deleted, or written meanwhile); run it again");
            return Brickworks.INCOMPLETE;
        }
        return Brickworks.OK;
    }

    private String readLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(root.in(), StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void print(PurgeReport r) {
        if (json) {
            printJson(fields("tenant", r.tenant(), "dryRun", r.dryRun(), "locksIncluded", r.locksIncluded(),
                    "keys", r.keys(), "deleted", r.deleted(), "remaining", r.remaining(),
                    "keysByNamespace", r.keysByNamespace()));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        r.keysByNamespace().forEach((ns, n) -> rows.add(List.of(ns, String.valueOf(n))));
        printTable(List.of("NAMESPACE", "KEYS"), rows);
        out().println(r.dryRun() ? r.keys() + " keys of tenant " + Names.show(r.tenant()) + " would be deleted (dry run)"
                : r.deleted() + " keys of tenant " + Names.show(r.tenant()) + " deleted");
    }
}
