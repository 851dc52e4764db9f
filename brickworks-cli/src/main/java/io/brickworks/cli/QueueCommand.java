package io.brickworks.cli;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.queue.DeadLetter;
import io.brickworks.cache.queue.QueueStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "queue", mixinStandardHelpOptions = true,
        description = {"One acknowledged queue: waiting, delayed, in flight (consumer, attempt, age, progress)",
                "and dead letters (with their reasons); --pause or --resume it for every consumer."})
final class QueueCommand extends CacheCommand {

    @Parameters(index = "0", paramLabel = "TENANT", description = "The queue's tenant.")
    String tenant;

    @Parameters(index = "1", paramLabel = "NAMESPACE", description = "The queue's namespace.")
    String namespace;

    @Parameters(index = "2", paramLabel = "QUEUE", description = "The queue's name.")
    String name;

    @Option(names = "--limit", defaultValue = "20", description = "List at most this many of each (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--pause", description = "Pause the queue first.")
    boolean pause;

    @Option(names = "--resume", description = "Resume the queue first.")
    boolean resume;

    @Override
    int run(BrickworksCache cache) {
        if (pause && resume) {
            throw new IllegalArgumentException("--pause and --resume exclude each other");
        }
        CacheAdmin admin = cache.admin();
        if (pause || resume) {
            await(admin.pauseQueue(tenant, namespace, name, pause));
        }
        QueueStatus s = await(admin.queue(tenant, namespace, name, limit));
        if (json) {
            List<Object> inFlight = new ArrayList<>();
            for (QueueStatus.InFlightJob j : s.inFlight()) {
                inFlight.add(fields("id", j.id(), "consumer", j.consumer(), "attempt", j.attempt(), "ageMillis",
                        j.age().toMillis(), "visibleInMillis", j.visibleIn().toMillis(), "progress", j.progress()));
            }
            List<Object> dead = new ArrayList<>();
            for (DeadLetter d : s.deadLetters()) {
                dead.add(fields("id", d.id(), "attempts", d.attempts(), "history", d.history()));
            }
            printJson(fields("tenant", tenant, "namespace", namespace, "name", name, "paused", s.paused(),
                    "waiting", s.waiting(), "delayed", s.delayed(), "inFlight", s.inFlightCount(),
                    "deadLetters", s.deadLetterCount(), "inFlightJobs", inFlight, "deadLetterJobs", dead));
            return Brickworks.OK;
        }
        printTable(List.of("PAUSED", "WAITING", "DELAYED", "IN FLIGHT", "DEAD LETTERS"), List.of(List.of(
                String.valueOf(s.paused()), String.valueOf(s.waiting()), String.valueOf(s.delayed()),
                String.valueOf(s.inFlightCount()), String.valueOf(s.deadLetterCount()))));
        List<List<String>> rows = new ArrayList<>();
        for (QueueStatus.InFlightJob j : s.inFlight()) {
            rows.add(List.of(j.id(), j.consumer(), String.valueOf(j.attempt()), j.age().toMillis() + " ms",
                    j.progress()));
        }
        if (!rows.isEmpty()) {
            out().println();
            printTable(List.of("IN FLIGHT", "CONSUMER", "ATTEMPT", "AGE", "PROGRESS"), rows);
        }
        rows = new ArrayList<>();
        for (DeadLetter d : s.deadLetters()) {
            rows.add(List.of(d.id(), String.valueOf(d.attempts()),
                    d.history().isEmpty() ? "" : d.history().get(d.history().size() - 1)));
        }
        if (!rows.isEmpty()) {
            out().println();
            printTable(List.of("DEAD LETTER", "ATTEMPTS", "LAST REASON"), rows);
        }
        return Brickworks.OK;
    }
}
