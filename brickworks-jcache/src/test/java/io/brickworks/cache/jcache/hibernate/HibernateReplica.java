package io.brickworks.cache.jcache.hibernate;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.SessionFactory;

/**
 * The second process of {@link HibernateSecondLevelCacheTest}: a Hibernate session factory with the
 * second-level cache on the same Redis, running the commands that the test pushes to the queue
 * {@code jc26.cmd} and answering each on {@code jc26.reply}. Arguments: the provider's properties
 * file, the Redis port.
 */
public final class HibernateReplica {

    private HibernateReplica() {
    }

    public static void main(String[] args) throws Exception {
        Path props = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        SessionFactory sf = Jc26Hibernate.open(props, true, "none");
        try (BrickworksCache queues = BrickworksCache.builder().settings(CacheSettings.builder().useRedis(true)
                .redisHost("127.0.0.1").redisPort(port).build()).build()) {
            System.out.println("ready");
            while (true) {
                String command = queues.blocking().popFromQueue("jc26.cmd", Duration.ofSeconds(120));
                if (command == null || command.equals("exit")) {
                    break;
                }
                String reply;
                try {
                    reply = run(sf, command.split(" "));
                } catch (Exception e) {
                    e.printStackTrace();
                    reply = "error " + e;
                }
                queues.blocking().pushToQueue("jc26.reply", reply);
            }
        }
        sf.close();
        System.exit(0);
    }

    private static String run(SessionFactory sf, String[] c) throws Exception {
        long id = Long.parseLong(c[1]);
        switch (c[0]) {
            case "rename-rw" -> sf.inTransaction(s -> s.find(JcReadWriteItem.class, id).name = c[2]);
            case "rename-ns" -> sf.inTransaction(s -> s.find(JcNonstrictItem.class, id).name = c[2]);
            case "insert-ro" -> sf.inTransaction(s -> s.persist(new JcReadOnlyItem(id, c[2])));
            case "add-element" -> sf.inTransaction(s -> s.find(JcBasket.class, id).elements.add(c[2]));
            case "remove-element" -> sf.inTransaction(s -> s.find(JcBasket.class, id).elements.remove(c[2]));
            case "code" -> sf.inTransaction(s -> s.find(JcCountry.class, id).code = c[2]);
            case "delete-country" -> sf.inTransaction(s -> s.remove(s.find(JcCountry.class, id)));
            case "behind" -> Jc26Hibernate.behindHibernate(c[2], id, c[3]);
            case "increment" -> {
                int times = Integer.parseInt(c[2]);
                int items = Integer.parseInt(c[3]);
                for (int i = 0; i < times; i++) {
                    for (long item = id; item < id + items; item++) {
                        Jc26Hibernate.increment(sf, item);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + c[0]);
        }
        return "ok";
    }
}
