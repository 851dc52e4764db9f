package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import picocli.CommandLine.Command;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Prints the value of a key (as UTF-8 text); exit code 1 when it does not exist.")
final class GetCommand extends KeyCommand {

    @Override
    int run(BrickworksCache cache) {
        String value = await(view(cache).getKey(key, namespace));
        if (json) {
            printJson(fields("tenant", tenantName(cache), "namespace", namespace, "key", key, "found", value != null,
                    "value", value));
        } else if (value != null) {
            out().println(value);
        } else {
            err().println("brickworks: no key '" + key + "' in namespace '" + namespace + "' of tenant '"
                    + tenantName(cache) + "'");
        }
        return value == null ? Brickworks.NOT_FOUND : Brickworks.OK;
    }
}
