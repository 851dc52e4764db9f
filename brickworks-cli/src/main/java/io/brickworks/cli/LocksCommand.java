package io.brickworks.cli;

import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.LockInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;

@Command(name = "locks", mixinStandardHelpOptions = true,
        description = "The locks held now: owner token, time left and last fencing token.")
final class LocksCommand extends ListingCommand<LockInfo> {

    @Override
    CompletableFuture<List<LockInfo>> list(CacheAdmin admin) {
        return admin.locks();
    }

    @Override
    List<String> headers() {
        return List.of("TENANT", "LOCK", "OWNER", "TIME LEFT", "FENCING TOKEN");
    }

    @Override
    List<String> row(LockInfo l) {
        return List.of(l.tenant(), l.name(), l.owner(), l.timeLeft() == null ? "no expiry" : seconds(l.timeLeft().toMillis()),
                l.lastFencingToken() == null ? "-" : String.valueOf(l.lastFencingToken()));
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    @Override
    Map<String, Object> json(LockInfo l) {
        return fields("tenant", l.tenant(), "name", l.name(), "owner", l.owner(),
                "timeLeftMillis", l.timeLeft() == null ? null : l.timeLeft().toMillis(),
                "lastFencingToken", l.lastFencingToken());
    }
}
