package io.brickworks.cli;

import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.TenantUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = "The tenants that have keys, with their number of keys per namespace.")
final class TenantsCommand extends ListingCommand<TenantUsage> {

    @Override
    CompletableFuture<List<TenantUsage>> list(CacheAdmin admin) {
        return admin.tenants();
    }

    @Override
    List<String> headers() {
        return List.of("TENANT", "KEYS", "BY NAMESPACE");
    }

    @Override
    List<String> row(TenantUsage t) {
        String byNamespace = t.keysByNamespace().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return List.of(t.tenant(), String.valueOf(t.keys()), byNamespace);
    }

    @Override
    Map<String, Object> json(TenantUsage t) {
        return fields("tenant", t.tenant(), "keys", t.keys(), "keysByNamespace", t.keysByNamespace());
    }
}
