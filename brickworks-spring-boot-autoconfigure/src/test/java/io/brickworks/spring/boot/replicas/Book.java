package io.brickworks.spring.boot.replicas;

/** A cached value of the application's own type (allowed: its package is the application's). */
public record Book(String id, String title) {
}
