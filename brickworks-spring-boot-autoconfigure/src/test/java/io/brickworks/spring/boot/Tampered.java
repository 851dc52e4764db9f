package io.brickworks.spring.boot;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

/** Classes outside the application's packages that report when they are deserialized or initialized. */
final class Tampered {

    static final AtomicBoolean DESERIALIZED = new AtomicBoolean();
    static final AtomicBoolean INITIALIZED = new AtomicBoolean();

    private Tampered() {
    }

    /** A Java-serializable class whose readObject would run on deserialization. */
    static final class Gadget implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.set(true);
        }
    }

    /** A class whose static initializer reports that it was loaded and initialized. */
    static final class Outside {
        static {
            INITIALIZED.set(true);
        }

        public String title;
    }
}
