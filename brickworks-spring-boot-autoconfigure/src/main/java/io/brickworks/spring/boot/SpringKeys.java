package io.brickworks.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brickworks.cache.function.Arguments;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * The canonical form of a Spring cache key, hashed by the function cache into the entry's key. Each
 * key becomes a JSON tree that names its type beside its value ({@code {"t":"java.lang.Long","v":7}}),
 * built from everything that can make two keys unequal, so that keys Spring tells apart never share
 * an entry:
 * <ul>
 * <li>strings, booleans, characters, every boxed number (by type: {@code 7} and {@code 7L} differ),
 *     {@code BigInteger}, {@code BigDecimal} (by its text: {@code 1.0} and {@code 1.00} differ, as
 *     {@code equals} says), enums (by class and name), {@code UUID}, every {@code java.time} type,
 *     {@code Locale}, {@code Currency}, {@code URI}, {@code java.util.Date} (its milliseconds),
 *     {@code Optional};</li>
 * <li>arrays (by element; {@code byte[]} as Base64), lists (any {@code List}, by element in order),
 *     sets (any {@code Set}, regardless of order) and maps (any {@code Map}, regardless of order), as
 *     their {@code equals} compares them;</li>
 * <li>records by their components; a {@link SimpleKey} by its parameters;</li>
 * <li>any other class that overrides {@code equals}, by its fields (private or not, inherited too;
 *     getters are not consulted), except static, transient and synthetic ones.</li>
 * </ul>
 * A key it cannot represent faithfully is rejected with an {@link IllegalArgumentException} naming
 * the cache, the key's class and the reason, and nothing is read or written: a class with identity
 * {@code equals} (neither a record nor an enum and not overriding {@code equals}, such as a plain
 * {@code new Object()}, lambdas, {@code Thread}), a class with no fields, a cycle, and a JDK class
 * not listed above. {@link KeyConverter}s, asked first for every value, handle the rest. Keys are
 * never written into the Redis key as text, so colons and any other characters are harmless.
 * Thread-safe.
 */
final class SpringKeys {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Field SIMPLE_KEY_PARAMS = simpleKeyParams();
    private static final Set<Class<?>> VALUE_TYPES = Set.of(UUID.class, Locale.class, Currency.class, URI.class);

    /** Negative control of the tests: private fields are left out, as a getter-based view leaves them out. */
    static volatile boolean plantedSkipPrivateFields;

    private final List<KeyConverter> converters;

    /** The fields of each class keyed by its fields, in a stable order. */
    private final ClassValue<List<Field>> fields = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            return fieldsOf(type);
        }
    };

    SpringKeys(List<KeyConverter> converters) {
        this.converters = List.copyOf(converters);
    }

    /**
     * The function cache arguments for {@code key} in the cache {@code cacheName}.
     *
     * @throws IllegalArgumentException naming the cache, the key's class and the reason when the key
     *     cannot be represented faithfully
     */
    Arguments arguments(String cacheName, Object key) {
        try {
            return Arguments.of(canonical(key, new IdentityHashMap<>(), true));
        } catch (Unrepresentable e) {
            throw new IllegalArgumentException("the Spring cache '" + cacheName + "' cannot make a key of a "
                    + (key == null ? "null" : key.getClass().getName()) + ": " + e.getMessage()
                    + "; give the key class an equals over its fields, or declare a KeyConverter for it", e);
        }
    }

    private JsonNode canonical(Object key, IdentityHashMap<Object, Boolean> path, boolean convert) {
        ObjectNode node = NODES.objectNode();
        if (key == null) {
            return node.putNull("t");
        }
        Class<?> type = key.getClass();
        if (convert) {
            for (KeyConverter converter : converters) {
                Object converted = converter.convert(key);
                if (converted != null) {
                    node.put("t", type.getName()).set("k", canonical(converted, path, false));
                    return node;
                }
            }
        }
        if (key instanceof String || key instanceof Character) {
            return node.put("t", type.getName()).put("v", key.toString());
        }
        if (key instanceof Boolean b) {
            return node.put("t", type.getName()).put("v", b);
        }
        if (key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte) {
            return node.put("t", type.getName()).put("v", ((Number) key).longValue());
        }
        if (key instanceof Double d) {
            return node.put("t", type.getName()).put("v", d);
        }
        if (key instanceof Float f) {
            return node.put("t", type.getName()).put("v", f);
        }
        if (key instanceof BigInteger i) {
            return node.put("t", type.getName()).put("v", i);
        }
        if (key instanceof BigDecimal d) {
            return node.put("t", type.getName()).put("v", d.toString());
        }
        if (key instanceof Enum<?> e) {
            return node.put("t", e.getDeclaringClass().getName()).put("v", e.name());
        }
        if (VALUE_TYPES.contains(type) || type.getPackageName().equals("java.time")) {
            return node.put("t", type.getName()).put("v", key.toString());
        }
        if (type == java.util.Date.class) {
            return node.put("t", type.getName()).put("v", ((java.util.Date) key).getTime());
        }
        if (key instanceof byte[] bytes) {
            return node.put("t", type.getName()).put("v", Base64.getEncoder().encodeToString(bytes));
        }
        if (path.put(key, Boolean.TRUE) != null) {
            throw new Unrepresentable("it holds a cycle (a " + type.getName() + " inside itself)");
        }
        try {
            return container(node, key, type, path, convert);
        } finally {
            path.remove(key);
        }
    }

    /** A value that holds others: the cycle check is around it. */
    private JsonNode container(ObjectNode node, Object key, Class<?> type, IdentityHashMap<Object, Boolean> path,
                               boolean convert) {
        if (key instanceof SimpleKey simple) {
            ArrayNode params = node.put("t", "SimpleKey").putArray("v");
            for (Object p : params(simple)) {
                params.add(canonical(p, path, convert));
            }
            return node;
        }
        if (type.isArray()) {
            ArrayNode items = node.put("t", type == Object[].class ? "Object[]" : type.getName()).putArray("v");
            for (int i = 0; i < Array.getLength(key); i++) {
                items.add(canonical(Array.get(key, i), path, convert));
            }
            return node;
        }
        if (key instanceof Optional<?> optional) {
            return node.put("t", "java.util.Optional").set("v", optional.isPresent()
                    ? canonical(optional.get(), path, convert) : NODES.nullNode());
        }
        if (key instanceof List<?> list) {
            ArrayNode items = node.put("t", "java.util.List").putArray("v");
            for (Object item : list) {
                items.add(canonical(item, path, convert));
            }
            return node;
        }
        if (key instanceof Set<?> set) {
            List<JsonNode> items = new ArrayList<>(set.size());
            for (Object item : set) {
                items.add(canonical(item, path, convert));
            }
            items.sort(Comparator.comparing(JsonNode::toString));
            node.put("t", "java.util.Set").putArray("v").addAll(items);
            return node;
        }
        if (key instanceof Map<?, ?> map) {
            List<ArrayNode> entries = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entries.add(NODES.arrayNode().add(canonical(e.getKey(), path, convert))
                        .add(canonical(e.getValue(), path, convert)));
            }
            entries.sort(Comparator.comparing(e -> e.get(0).toString()));
            node.put("t", "java.util.Map").putArray("v").addAll(entries);
            return node;
        }
        if (type.isRecord()) {
            ObjectNode components = node.put("t", type.getName()).putObject("v");
            for (RecordComponent c : type.getRecordComponents()) {
                components.set(c.getName(), canonical(component(key, c), path, convert));
            }
            return node;
        }
        if (type.isSynthetic() || type.isHidden() || !overridesEquals(type)) {
            throw new Unrepresentable("a " + type.getName() + " has identity equals (it is neither a record nor an "
                    + "enum and does not override equals), so no two instances are equal keys");
        }
        String jdk = jdkPackage(type);
        if (jdk != null) {
            throw new Unrepresentable("a " + type.getName() + " is a " + jdk + " class that is not a value type the "
                    + "cache knows");
        }
        if (key instanceof Collection<?>) {
            throw new Unrepresentable("a " + type.getName() + " is a collection that is neither a List nor a Set");
        }
        List<Field> own = fields.get(type);
        if (own.isEmpty()) {
            throw new Unrepresentable("a " + type.getName() + " has no fields to tell two keys apart");
        }
        ObjectNode values = node.put("t", type.getName()).putObject("v");
        for (Field f : own) {
            if (plantedSkipPrivateFields && Modifier.isPrivate(f.getModifiers())) {
                continue;
            }
            values.set(fieldName(f, own), canonical(read(f, key), path, convert));
        }
        return node;
    }

    private static String jdkPackage(Class<?> type) {
        String name = type.getName();
        for (String prefix : List.of("java.", "javax.", "jdk.", "sun.", "com.sun.")) {
            if (name.startsWith(prefix)) {
                return prefix.substring(0, prefix.length() - 1);
            }
        }
        return null;
    }

    private static boolean overridesEquals(Class<?> type) {
        try {
            return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Non-static, non-transient, non-synthetic fields of the class and its superclasses, accessible. */
    private static List<Field> fieldsOf(Class<?> type) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                    all.add(f);
                }
            }
        }
        for (Field f : all) {
            try {
                f.setAccessible(true);
            } catch (RuntimeException e) {
                throw new Unrepresentable("the field " + f.getName() + " of " + f.getDeclaringClass().getName()
                        + " cannot be read (" + e.getMessage() + ")");
            }
        }
        return List.copyOf(all);
    }

    /** The field's name, qualified by its class when a superclass has a field of the same name. */
    private static String fieldName(Field f, List<Field> all) {
        long same = all.stream().filter(o -> o.getName().equals(f.getName())).count();
        return same == 1 ? f.getName() : f.getDeclaringClass().getName() + "." + f.getName();
    }

    private static Object read(Field f, Object key) {
        try {
            return f.get(key);
        } catch (IllegalAccessException e) {
            throw new Unrepresentable("the field " + f.getName() + " cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Object component(Object record, RecordComponent c) {
        Method accessor = c.getAccessor();
        try {
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new Unrepresentable("the component " + c.getName() + " cannot be read (" + e.getMessage() + ")");
        } catch (InvocationTargetException e) {
            throw new Unrepresentable("the accessor of component " + c.getName() + " failed: " + e.getCause());
        }
    }

    private static Object[] params(SimpleKey key) {
        try {
            return (Object[]) SIMPLE_KEY_PARAMS.get(key);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the parameters of a SimpleKey", e);
        }
    }

    private static Field simpleKeyParams() {
        try {
            Field f = SimpleKey.class.getDeclaredField("params");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this Spring version's SimpleKey has no 'params' field", e);
        }
    }

    /** Why a key cannot be represented; turned into the caller's message with the cache's name. */
    private static final class Unrepresentable extends RuntimeException {
        Unrepresentable(String message) {
            super(message, null, false, false);
        }
    }
}
