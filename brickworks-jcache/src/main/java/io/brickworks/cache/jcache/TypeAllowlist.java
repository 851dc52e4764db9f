package io.brickworks.cache.jcache;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The class names that the provider's codec may load while decoding a stored key or value. A name is
 * checked <em>before</em> its class is loaded (see {@link ValueCodec}), so bytes written by someone
 * else (another process, {@code redis-cli}) can never make this process load, let alone initialise,
 * a class outside this list.
 *
 * <p>Always allowed: strings, boxed primitives and their abstract superclasses ({@code Number},
 * {@code Enum}), big numbers, {@code java.util.Date}, {@code UUID}, {@code java.time} values, the
 * common {@code java.util} collections and maps, and arrays of allowed types. Anything else must be
 * listed: an exact class name ({@code com.acme.Price}, a nested class with {@code $}) or a package
 * and its sub-packages ({@code com.acme.*}).
 *
 * <p>Immutable and thread-safe.
 */
final class TypeAllowlist {

    static final Set<String> BUILT_IN = Set.of(
            "java.lang.Object", "java.io.Serializable", "java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Number",
            "java.lang.Enum", "java.math.BigInteger", "java.math.BigDecimal", "java.util.Date", "java.util.UUID",
            "java.time.Ser", "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
            "java.util.TreeSet", "java.util.ImmutableCollections$CollSer", "java.util.Collections$EmptyList",
            "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet",
            "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableMap",
            "java.util.Collections$UnmodifiableSet", "java.util.Arrays$ArrayList");

    private final Set<String> exact;
    private final List<String> packages;
    private final String text;

    private TypeAllowlist(Set<String> exact, List<String> packages, String text) {
        this.exact = exact;
        this.packages = packages;
        this.text = text;
    }

    /**
     * An allowlist of the built-in types and the comma-separated entries of {@code spec} (may be null or blank).
     *
     * @throws IllegalArgumentException naming {@code argument} if an entry is neither a class name nor {@code pkg.*}
     */
    static TypeAllowlist parse(String argument, String spec) {
        java.util.HashSet<String> exact = new java.util.HashSet<>(BUILT_IN);
        List<String> packages = new ArrayList<>();
        if (spec != null) {
            for (String raw : spec.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                String name = entry.endsWith(".*") ? entry.substring(0, entry.length() - 2) : entry;
                if (!isQualifiedName(name)) {
                    throw new IllegalArgumentException(argument + " must list class names or packages as pkg.* but has "
                            + "'" + entry + "'");
                }
                if (entry.endsWith(".*")) {
                    packages.add(name + ".");
                } else {
                    exact.add(name);
                }
            }
        }
        return new TypeAllowlist(Set.copyOf(exact), List.copyOf(packages), spec == null ? "" : spec.trim());
    }

    private static boolean isQualifiedName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a class of this name (as in a serialization stream: {@code [Lx.Y;} for arrays) may be loaded.
     */
    boolean allows(String className) {
        String name = className;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.length() == 1) {
            return "ZBCSIJFD".contains(name); // an array of a primitive type
        }
        if (name.startsWith("L") && name.endsWith(";") && !name.equals(className)) {
            name = name.substring(1, name.length() - 1);
        }
        if (exact.contains(name)) {
            return true;
        }
        for (String p : packages) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
