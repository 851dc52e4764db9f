package io.brickworks.cli;

import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.IndexInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;

@Command(name = "indices", mixinStandardHelpOptions = true, description = "The indices, with their number of members.")
final class IndicesCommand extends ListingCommand<IndexInfo> {

    @Override
    CompletableFuture<List<IndexInfo>> list(CacheAdmin admin) {
        return admin.indices();
    }

    @Override
    List<String> headers() {
        return List.of("TENANT", "NAMESPACE", "INDEX", "SIZE");
    }

    @Override
    List<String> row(IndexInfo i) {
        return List.of(i.tenant(), i.namespace(), i.name(), String.valueOf(i.size()));
    }

    @Override
    Map<String, Object> json(IndexInfo i) {
        return fields("tenant", i.tenant(), "namespace", i.namespace(), "name", i.name(), "size", i.size());
    }
}
