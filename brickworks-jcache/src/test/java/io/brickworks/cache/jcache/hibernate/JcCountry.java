package io.brickworks.cache.jcache.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.annotations.NaturalId;
import org.hibernate.annotations.NaturalIdCache;

/** An entity cached read-write with a mutable natural id whose resolutions are cached too. */
@Entity
@Table(name = "jc26_country")
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
@NaturalIdCache
public class JcCountry {
    @Id
    public Long id;
    @NaturalId(mutable = true)
    public String code;
    @Version
    public long version;

    public JcCountry() {
    }

    public JcCountry(Long id, String code) {
        this.id = id;
        this.code = code;
    }
}
