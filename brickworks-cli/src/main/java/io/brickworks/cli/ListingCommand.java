package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.admin.CacheAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Option;

/** A listing of the admin API, for every tenant or one ({@code --tenant}), as a table or JSON. */
abstract class ListingCommand<T> extends CacheCommand {

    @Option(names = {"-t", "--tenant"}, paramLabel = "TENANT", description = "Only this tenant.")
    String tenant;

    /** The listing asked of the admin API. */
    abstract CompletableFuture<List<T>> list(CacheAdmin admin);

    abstract List<String> headers();

    abstract List<String> row(T item);

    /** One item as JSON fields. */
    abstract Map<String, Object> json(T item);

    @Override
    final int run(BrickworksCache cache) {
        CacheAdmin admin = cache.admin().onProgress(progress());
        List<T> items = await(list(tenant == null ? admin : admin.tenant(tenant)));
        endProgress();
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>(items.size());
            items.forEach(item -> out.add(json(item)));
            printJson(out);
        } else {
            List<List<String>> rows = new ArrayList<>(items.size());
            items.forEach(item -> rows.add(row(item)));
            printTable(headers(), rows);
        }
        return Brickworks.OK;
    }
}
