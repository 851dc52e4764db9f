package io.brickworks.cache.jcache.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.annotations.Immutable;

/** An immutable entity cached read-only. */
@Entity
@Immutable
@Table(name = "jc26_ro_item")
@Cache(usage = CacheConcurrencyStrategy.READ_ONLY)
public class JcReadOnlyItem {
    @Id
    public Long id;
    public String name;

    public JcReadOnlyItem() {
    }

    public JcReadOnlyItem(Long id, String name) {
        this.id = id;
        this.name = name;
    }
}
