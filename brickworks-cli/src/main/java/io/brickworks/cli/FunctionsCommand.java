package io.brickworks.cli;

import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.FunctionInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;

@Command(name = "functions", mixinStandardHelpOptions = true,
        description = "The function caches, with their number of cached results.")
final class FunctionsCommand extends ListingCommand<FunctionInfo> {

    @Override
    CompletableFuture<List<FunctionInfo>> list(CacheAdmin admin) {
        return admin.functions();
    }

    @Override
    List<String> headers() {
        return List.of("TENANT", "FUNCTION", "ENTRIES");
    }

    @Override
    List<String> row(FunctionInfo f) {
        return List.of(f.tenant(), f.name(), String.valueOf(f.entries()));
    }

    @Override
    Map<String, Object> json(FunctionInfo f) {
        return fields("tenant", f.tenant(), "name", f.name(), "entries", f.entries());
    }
}
