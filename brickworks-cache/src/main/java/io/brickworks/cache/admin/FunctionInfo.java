package io.brickworks.cache.admin;

/**
 * The cached results of one function in one tenant.
 *
 * @param tenant the tenant
 * @param name the function's name
 * @param entries how many results are cached
 */
public record FunctionInfo(String tenant, String name, long entries) {
}
