/** The admin API: listings of tenants, locks, queues, indices and function caches, and the tenant purge. */
package io.brickworks.cache.admin;
