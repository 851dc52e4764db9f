package io.brickworks.cache.jcache.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An entity cached read-write (soft locks while a transaction changes it). */
@Entity
@Table(name = "jc26_rw_item")
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class JcReadWriteItem {
    @Id
    public Long id;
    public String name;
    public long counter;
    @Version
    public long version;

    public JcReadWriteItem() {
    }

    public JcReadWriteItem(Long id, String name) {
        this.id = id;
        this.name = name;
    }
}
