package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A command on one key: {@code KEY}, in {@code --tenant} (default: the master tenant) and {@code --namespace}. */
abstract class KeyCommand extends CacheCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (its last segment).")
    String key;

    @Option(names = {"-t", "--tenant"}, paramLabel = "TENANT", description = "The tenant (default: the master tenant).")
    String tenant;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE", defaultValue = BrickworksCache.DEFAULT_NAMESPACE,
            showDefaultValue = picocli.CommandLine.Help.Visibility.ALWAYS, description = "The namespace.")
    String namespace;

    /** The cache view of the tenant asked for. */
    BrickworksCache view(BrickworksCache cache) {
        return tenant == null ? cache.masterTenant() : cache.forTenant(tenant);
    }

    String tenantName(BrickworksCache cache) {
        return tenant == null ? cache.settings().masterTenant() : tenant;
    }
}
