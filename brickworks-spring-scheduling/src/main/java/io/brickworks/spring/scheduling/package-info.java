/**
 * {@link io.brickworks.spring.scheduling.OnOneReplica}: a Spring bean method (a {@code @Scheduled} job or
 * any other) that runs on one replica at a time under a renewed, fenced lock, and
 * {@link io.brickworks.spring.scheduling.ReplicaLock}, the running method's view of its lock.
 */
package io.brickworks.spring.scheduling;
