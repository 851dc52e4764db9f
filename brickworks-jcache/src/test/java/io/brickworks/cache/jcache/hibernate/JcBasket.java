package io.brickworks.cache.jcache.hibernate;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.HashSet;
import java.util.Set;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** An entity cached read-write whose element collection has its own read-write collection cache. */
@Entity
@Table(name = "jc26_basket")
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class JcBasket {
    @Id
    public Long id;
    @ElementCollection
    @CollectionTable(name = "jc26_basket_element", joinColumns = @JoinColumn(name = "basket_id"))
    @Column(name = "element")
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    public Set<String> elements = new HashSet<>();
    @Version
    public long version;

    public JcBasket() {
    }

    public JcBasket(Long id, Set<String> elements) {
        this.id = id;
        this.elements = new HashSet<>(elements);
    }
}
