package io.brickworks.cache.jcache.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An entity cached nonstrict-read-write (the entry is evicted after a commit that changed it). */
@Entity
@Table(name = "jc26_ns_item")
@Cache(usage = CacheConcurrencyStrategy.NONSTRICT_READ_WRITE)
public class JcNonstrictItem {
    @Id
    public Long id;
    public String name;
    @Version
    public long version;

    public JcNonstrictItem() {
    }

    public JcNonstrictItem(Long id, String name) {
        this.id = id;
        this.name = name;
    }
}
