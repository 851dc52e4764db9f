package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Whether the store answers, and how long a round trip (PING) takes.")
final class StatusCommand extends CacheCommand {

    @Override
    int run(BrickworksCache cache) {
        Duration took = await(cache.ping());
        String address = cache.settings().redisAddress();
        double millis = took.toNanos() / 1e6;
        if (json) {
            printJson(fields("store", address, "reachable", true, "roundTripMillis", millis));
        } else {
            out().println(String.format(Locale.ROOT, "Redis at %s: reachable, round trip %.2f ms", address, millis));
        }
        return Brickworks.OK;
    }
}
