package io.brickworks.cli;

import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.QueueInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;

@Command(name = "queues", mixinStandardHelpOptions = true, description = "The queues that have items, with their waiting, delayed, in-flight and dead items.")
final class QueuesCommand extends ListingCommand<QueueInfo> {

    @Override
    CompletableFuture<List<QueueInfo>> list(CacheAdmin admin) {
        return admin.queues();
    }

    @Override
    List<String> headers() {
        return List.of("TENANT", "NAMESPACE", "QUEUE", "WAITING", "DELAYED", "IN-FLIGHT", "DEAD");
    }

    @Override
    List<String> row(QueueInfo q) {
        return List.of(q.tenant(), q.namespace(), q.name(), String.valueOf(q.waiting()), String.valueOf(q.delayed()),
                String.valueOf(q.inFlight()), String.valueOf(q.dead()));
    }

    @Override
    Map<String, Object> json(QueueInfo q) {
        return fields("tenant", q.tenant(), "namespace", q.namespace(), "name", q.name(), "waiting", q.waiting(),
                "delayed", q.delayed(), "inFlight", q.inFlight(), "dead", q.dead());
    }
}
