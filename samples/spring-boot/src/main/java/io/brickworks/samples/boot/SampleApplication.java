package io.brickworks.samples.boot;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot application on the installed starter alone: a slow {@code @Cacheable(sync = true)} method
 * behind {@code /quotes/{symbol}}, its computation count at {@code /computations}, Actuator's health,
 * and the line's Redis connection-details bean ({@code SampleRedisDetails}, from {@code sample.redis.*}).
 */
@SpringBootApplication
@EnableCaching
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    Quotes quotes() {
        return new Quotes();
    }

    /** The cached service. */
    public static class Quotes {

        private final AtomicInteger computations = new AtomicInteger();

        /** Slow enough that callers on both instances overlap (the test counts, it does not time). */
        @Cacheable(cacheNames = "quotes", sync = true)
        public String quote(String symbol) {
            computations.incrementAndGet();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return symbol + "=" + symbol.length() * 1.5;
        }

        public int computations() {
            return computations.get();
        }
    }

    @RestController
    static class QuotesController {

        private final Quotes quotes;

        QuotesController(Quotes quotes) {
            this.quotes = quotes;
        }

        @GetMapping("/quotes/{symbol}")
        String quote(@PathVariable("symbol") String symbol) {
            return quotes.quote(symbol);
        }

        @GetMapping("/computations")
        int computations() {
            return quotes.computations();
        }
    }
}
