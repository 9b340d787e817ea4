-- The registry (SPEC section 9). Plain SQL that runs unchanged on H2 2.x and PostgreSQL.
-- productID, projectID and areaID are unique across the installation, so each is a primary
-- key on its own; a device is named by product + name.
-- Lengths match the checks of the import (RegistryFileParser) so that a file that passes them
-- always fits.

CREATE TABLE tenant (
  code        VARCHAR(64)  NOT NULL,
  name        VARCHAR(255) NOT NULL,
  CONSTRAINT pk_tenant PRIMARY KEY (code)
);

CREATE TABLE project (
  id          VARCHAR(64)  NOT NULL,
  tenant_code VARCHAR(64)  NOT NULL,
  name        VARCHAR(255) NOT NULL,
  CONSTRAINT pk_project PRIMARY KEY (id),
  CONSTRAINT fk_project_tenant FOREIGN KEY (tenant_code) REFERENCES tenant (code)
);
CREATE INDEX ix_project_tenant ON project (tenant_code);

-- parent_id is null at the root of the project's tree; a parent is always in the same project
-- (checked by the import: SQL cannot say it without a composite key).
CREATE TABLE area (
  id          VARCHAR(64)  NOT NULL,
  project_id  VARCHAR(64)  NOT NULL,
  parent_id   VARCHAR(64),
  name        VARCHAR(255) NOT NULL,
  CONSTRAINT pk_area PRIMARY KEY (id),
  CONSTRAINT fk_area_project FOREIGN KEY (project_id) REFERENCES project (id),
  CONSTRAINT fk_area_parent FOREIGN KEY (parent_id) REFERENCES area (id)
);
CREATE INDEX ix_area_project ON area (project_id);
CREATE INDEX ix_area_parent ON area (parent_id);

-- thing_model holds the product's thing model as JSON text (TEXT, not a JSON type, so that the
-- same script runs on both databases).
CREATE TABLE product (
  id          VARCHAR(64)  NOT NULL,
  tenant_code VARCHAR(64)  NOT NULL,
  name        VARCHAR(255) NOT NULL,
  thing_model TEXT         NOT NULL,
  CONSTRAINT pk_product PRIMARY KEY (id),
  CONSTRAINT fk_product_tenant FOREIGN KEY (tenant_code) REFERENCES tenant (code)
);
CREATE INDEX ix_product_tenant ON product (tenant_code);

-- A device's tenant is its product's; its project (and area) must be of that tenant
-- (checked by the import). area_id null: in the project, outside any area.
CREATE TABLE device (
  product_id  VARCHAR(64)  NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  secret      VARCHAR(255) NOT NULL,
  project_id  VARCHAR(64)  NOT NULL,
  area_id     VARCHAR(64),
  CONSTRAINT pk_device PRIMARY KEY (product_id, name),
  CONSTRAINT fk_device_product FOREIGN KEY (product_id) REFERENCES product (id),
  CONSTRAINT fk_device_project FOREIGN KEY (project_id) REFERENCES project (id),
  CONSTRAINT fk_device_area FOREIGN KEY (area_id) REFERENCES area (id)
);
CREATE INDEX ix_device_project ON device (project_id);
CREATE INDEX ix_device_area ON device (area_id);

-- Read access of a user to a whole project (area_id null) or to one area and its sub-areas.
-- No primary key: area_id is nullable and both databases treat NULLs as distinct in unique
-- constraints, so the import itself never inserts a grant that already exists.
CREATE TABLE user_grant (
  tenant_code VARCHAR(64)  NOT NULL,
  user_id     VARCHAR(128) NOT NULL,
  project_id  VARCHAR(64)  NOT NULL,
  area_id     VARCHAR(64),
  CONSTRAINT fk_user_grant_tenant FOREIGN KEY (tenant_code) REFERENCES tenant (code),
  CONSTRAINT fk_user_grant_project FOREIGN KEY (project_id) REFERENCES project (id),
  CONSTRAINT fk_user_grant_area FOREIGN KEY (area_id) REFERENCES area (id)
);
CREATE INDEX ix_user_grant_user ON user_grant (tenant_code, user_id);
CREATE INDEX ix_user_grant_project ON user_grant (project_id);
CREATE INDEX ix_user_grant_area ON user_grant (area_id);
