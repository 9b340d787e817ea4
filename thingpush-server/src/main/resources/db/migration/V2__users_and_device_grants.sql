-- Users and shared devices (SPEC sections 5 and 9). Plain SQL for H2 2.x and PostgreSQL.

-- The users a token without a tenant claim (an i-Things login token) is checked against: the
-- tenant and the admin flag come from here. user_id is unique across the installation, as
-- i-Things' user ids are. ("user" is a reserved word in PostgreSQL.)
CREATE TABLE app_user (
  user_id     VARCHAR(128) NOT NULL,
  tenant_code VARCHAR(64)  NOT NULL,
  is_admin    BOOLEAN      NOT NULL,
  CONSTRAINT pk_app_user PRIMARY KEY (user_id),
  CONSTRAINT fk_app_user_tenant FOREIGN KEY (tenant_code) REFERENCES tenant (code)
);
CREATE INDEX ix_app_user_tenant ON app_user (tenant_code);

-- A device shared with a user of its tenant (i-Things' "shared devices"): the user reads that
-- device in whatever project it is. The device's tenant is checked by the import and the admin
-- API (SQL cannot say it: a device's tenant is its product's).
CREATE TABLE device_grant (
  tenant_code VARCHAR(64)  NOT NULL,
  user_id     VARCHAR(128) NOT NULL,
  product_id  VARCHAR(64)  NOT NULL,
  device_name VARCHAR(64)  NOT NULL,
  CONSTRAINT pk_device_grant PRIMARY KEY (tenant_code, user_id, product_id, device_name),
  CONSTRAINT fk_device_grant_tenant FOREIGN KEY (tenant_code) REFERENCES tenant (code),
  CONSTRAINT fk_device_grant_device FOREIGN KEY (product_id, device_name) REFERENCES device (product_id, name)
);
CREATE INDEX ix_device_grant_device ON device_grant (product_id, device_name);
