package io.brickworks.cache.spi;

import java.util.List;

/**
 * The keys of one acknowledged queue. {@link #list()} is the queue itself, the original's list at
 * {@code <prefix>:<tenant>:<namespace>:<queue>} that {@code pushToQueue} (and the Python original)
 * append to; every other key is named {@code {<list>}:<suffix>}. On a Redis Cluster the part in braces
 * is the hash tag, so every auxiliary key hashes to the slot of the list's full name (a list key has
 * no braces): one script can touch all of them, while the list keeps its name.
 *
 * @param list the queue's list of raw items (Redis {@code RPUSH}/{@code LPOP})
 * @param staging a list of raw items moved out of {@code list} by a waiting receiver (Redis
 *     {@code BLMOVE}) and not yet given an identity; receiving takes from it before {@code list}
 * @param sequence the counter that numbers items when they first get an identity
 * @param items hash: identity to item
 * @param attempts hash: identity to the number of deliveries so far
 * @param history hash: identity to the text of its failed attempts, one line each
 * @param inflight sorted set: identity of each delivered item, scored by its visibility deadline (ms)
 * @param delayed sorted set: identity of each item waiting to become visible, scored by that time (ms)
 * @param dead list: identities of the dead letters, oldest first
 * @param receipts hash: identity of each item in flight to the receipt of its current delivery, a
 *     random token made for each claim; acknowledging, returning and extending must present it
 * @param owners hash: identity of each item in flight to {@code <consumer>\n<claimed at, ms>}
 * @param progress hash: identity of each item in flight to the progress its consumer last reported
 * @param paused string, present while the queue is paused (receives deliver nothing)
 * @param rate string: deliveries in the current one-second window of the rate limit, expiring with it
 * @param priorities lists of identities pushed with priority 1, 2 and 3 (index 0, 1, 2), oldest first
 * @param jobs hash: job id given at push to the identity of the item that holds it
 * @param jobOf hash: identity to the job id it was pushed with
 * @param done sorted set: job ids acknowledged within the deduplication window, scored by when it ends (ms)
 */
public record QueueKeys(String list, String staging, String sequence, String items, String attempts,
                        String history, String inflight, String delayed, String dead, String receipts,
                        String owners, String progress, String paused, String rate, List<String> priorities,
                        String jobs, String jobOf, String done) {

    /** The highest priority of {@code push}; 0 is none. */
    public static final int MAX_PRIORITY = 3;

    /** The keys of the queue whose list is {@code list} (a full key without braces). */
    public static QueueKeys of(String list) {
        String tag = "{" + list + "}:";
        return new QueueKeys(list, tag + "staging", tag + "seq", tag + "items", tag + "attempts", tag + "history",
                tag + "inflight", tag + "delayed", tag + "dead", tag + "receipts", tag + "owners", tag + "progress",
                tag + "paused", tag + "rate", List.of(tag + "prio1", tag + "prio2", tag + "prio3"), tag + "jobs",
                tag + "jobof", tag + "done");
    }

    /** Every key, in the order the Redis scripts take them ({@code KEYS[1..20]}). */
    public List<String> all() {
        return List.of(list, staging, sequence, items, attempts, history, inflight, delayed, dead, receipts, owners,
                progress, paused, rate, priorities.get(0), priorities.get(1), priorities.get(2), jobs, jobOf, done);
    }
}
