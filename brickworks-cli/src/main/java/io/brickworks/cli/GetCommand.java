package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.internal.Names;
import io.brickworks.cache.spi.KeyInfo;
import picocli.CommandLine.Command;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Prints the value of a key (as UTF-8 text); exit code 1 when it does not exist,",
                "5 when it holds another type (a queue, a set, ...), which it names."})
final class GetCommand extends KeyCommand {

    private static String typeName(KeyInfo info) {
        return switch (info.type()) {
            case LIST -> "a list (a queue) of " + info.size() + " items";
            case SET -> "a set of " + info.size() + " members";
            case SORTED_SET -> "a sorted set of " + info.size() + " members";
            case HASH -> "a hash of " + info.size() + " fields";
            case STRING -> "a value that is not text";
            default -> "a value of another type";
        };
    }

    @Override
    int run(BrickworksCache cache) {
        String value = await(view(cache).getKey(key, namespace));
        KeyInfo other = value != null ? null : await(cache.admin().inspect(tenantName(cache), namespace, key));
        String type = other == null || other.type() == KeyInfo.Type.NONE ? null : typeName(other);
        if (json) {
            printJson(fields("tenant", tenantName(cache), "namespace", namespace, "key", key, "found", value != null,
                    "value", value, "type", value != null ? "string" : type));
        } else if (value != null) {
            out().println(value);
        } else {
            String where = Names.show(key) + " in namespace " + Names.show(namespace) + " of tenant "
                    + Names.show(tenantName(cache));
            err().println(type == null ? "brickworks: no key " + where
                    : "brickworks: key " + where + " holds " + type + ", not a value");
        }
        return value != null ? Brickworks.OK : type == null ? Brickworks.NOT_FOUND : Brickworks.WRONG_TYPE;
    }
}
