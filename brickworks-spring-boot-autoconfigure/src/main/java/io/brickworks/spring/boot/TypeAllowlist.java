package io.brickworks.spring.boot;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The types a Spring cache decodes from stored JSON: the JDK's value types (strings, boxed
 * primitives, big numbers, UUID, {@code java.time} values, {@code List}, {@code Set}, {@code Map})
 * and the classes of the allowed packages (by default the application's own, from Boot's
 * auto-configuration packages), and arrays of these. A name is checked as text before any class is
 * loaded. Thread-safe.
 */
final class TypeAllowlist {

    private static final Map<String, Class<?>> JDK = Stream.of(String.class, Boolean.class, Character.class,
                    Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
                    BigDecimal.class, UUID.class, java.time.Instant.class, java.time.LocalDate.class,
                    java.time.LocalDateTime.class, java.time.LocalTime.class, java.time.OffsetDateTime.class,
                    java.time.OffsetTime.class, java.time.ZonedDateTime.class, java.time.Duration.class,
                    java.time.Period.class, java.time.Year.class, java.time.YearMonth.class, java.time.MonthDay.class,
                    List.class, Set.class, Map.class)
            .collect(Collectors.toUnmodifiableMap(Class::getName, c -> c));

    private final List<String> packages;
    private final ClassLoader loader;

    /**
     * @param packages package names whose classes (and their subpackages' classes) are allowed
     * @throws IllegalArgumentException if a package name is empty
     */
    TypeAllowlist(List<String> packages, ClassLoader loader) {
        for (String p : packages) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException("brickworks.cache.spring.allowed-packages must not hold an empty "
                        + "package name but was " + packages);
            }
        }
        this.packages = packages.stream().map(p -> p.endsWith(".") ? p : p + ".").toList();
        this.loader = loader;
    }

    List<String> packages() {
        return packages;
    }

    /** The class named {@code name} if allowed (loaded without initialising it), else null. */
    Class<?> resolve(String name) {
        Class<?> jdk = JDK.get(name);
        if (jdk != null) {
            return jdk;
        }
        String element = name;
        int dims = 0;
        while (element.startsWith("[")) {
            element = element.substring(1);
            dims++;
        }
        if (dims > 0) {
            if (!element.startsWith("L") || !element.endsWith(";")) {
                return primitiveArray(name);
            }
            element = element.substring(1, element.length() - 1);
            if (!JDK.containsKey(element) && !inPackages(element)) {
                return null;
            }
        } else if (!inPackages(element)) {
            return null;
        }
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private boolean inPackages(String className) {
        for (String p : packages) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private Class<?> primitiveArray(String name) {
        try {
            Class<?> c = Class.forName(name, false, null);
            Class<?> e = c;
            while (e.isArray()) {
                e = e.getComponentType();
            }
            return e.isPrimitive() ? c : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
