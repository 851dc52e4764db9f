package io.brickworks.cache.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}). The SHA is computed here, the script is loaded
 * once when the backend opens, and a {@code NOSCRIPT} answer (a restarted or flushed server) is
 * answered by sending the body once with {@code EVAL}, which also puts it back in the server's script
 * cache. Thread-safe and immutable.
 */
final class LuaScript {

    private final String name;
    private final byte[] body;
    private final String sha;
    private final ScriptOutputType output;

    LuaScript(String name, ScriptOutputType output, String body) {
        this.name = name;
        this.output = output;
        this.body = body.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1(this.body);
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    String name() {
        return name;
    }

    String sha() {
        return sha;
    }

    byte[] body() {
        return body.clone();
    }

    /** Runs the script: one {@code EVALSHA}, plus one {@code EVAL} only when the server does not know it. */
    <T> CompletionStage<T> run(RedisClusterAsyncCommands<String, byte[]> commands, String[] keys, byte[]... args) {
        CompletableFuture<T> bySha = commands.<T>evalsha(sha, output, keys, args).toCompletableFuture();
        return bySha.exceptionallyCompose(e -> RedisFaults.unwrap(e) instanceof RedisNoScriptException
                ? commands.<T>eval(body, output, keys, args)
                : bySha);
    }

    @Override
    public String toString() {
        return "LuaScript{" + name + ", sha=" + sha + "}";
    }
}
