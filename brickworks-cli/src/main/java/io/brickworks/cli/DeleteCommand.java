package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import picocli.CommandLine.Command;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Deletes a key (of any type); exit code 1 when it did not exist.")
final class DeleteCommand extends KeyCommand {

    @Override
    int run(BrickworksCache cache) {
        boolean existed = await(view(cache).deleteKey(key, namespace));
        if (json) {
            printJson(fields("tenant", tenantName(cache), "namespace", namespace, "key", key, "deleted", existed));
        } else {
            out().println(existed ? "deleted" : "no such key");
        }
        return existed ? Brickworks.OK : Brickworks.NOT_FOUND;
    }
}
