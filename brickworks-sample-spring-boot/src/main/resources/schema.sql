CREATE TABLE IF NOT EXISTS product (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, price DECIMAL(10, 2) NOT NULL);
MERGE INTO product KEY (id) VALUES (1, 'Brick', 0.45), (2, 'Mortar (25 kg)', 7.90), (3, 'Trowel', 12.50);
