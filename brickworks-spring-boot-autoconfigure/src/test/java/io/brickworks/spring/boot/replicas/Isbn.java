package io.brickworks.spring.boot.replicas;

/** A record used as a cache key. */
public record Isbn(String code) {
}
