-- 0002: the organisation chart (departments, memberships), agent groups with service hours, live-only login uniqueness.
-- Deleting a user is a soft delete (users.deleted_at): its row stays for the audit
-- log and history, but its login and external_id are free again. The unique keys
-- therefore cover generated columns that are NULL for deleted rows (NULLs never clash).

ALTER TABLE users ADD COLUMN IF NOT EXISTS live_login VARCHAR(100)
  AS (IF(deleted_at IS NULL, login, NULL)) PERSISTENT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS live_external_id VARCHAR(200)
  AS (IF(deleted_at IS NULL, external_id, NULL)) PERSISTENT;
CREATE UNIQUE INDEX IF NOT EXISTS uq_users_live_login ON users (live_login);
CREATE UNIQUE INDEX IF NOT EXISTS uq_users_live_external ON users (tenant_id, live_external_id);
CREATE INDEX IF NOT EXISTS ix_users_login ON users (login);
ALTER TABLE users DROP INDEX IF EXISTS uq_users_login;
ALTER TABLE users DROP INDEX IF EXISTS uq_users_external;

-- A tree: parent_id NULL for a top-level department. Cycles are refused by the
-- code that sets parent_id (domain/org.c); deleting a department with children is refused.
CREATE TABLE IF NOT EXISTS departments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  parent_id BIGINT NULL,
  name VARCHAR(200) NOT NULL,
  external_id VARCHAR(200) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_departments_external (tenant_id, external_id),
  KEY ix_departments_parent (tenant_id, parent_id),
  CONSTRAINT fk_departments_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT fk_departments_parent FOREIGN KEY (parent_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS user_departments (
  tenant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, department_id),
  KEY ix_user_departments_dept (tenant_id, department_id, user_id),
  CONSTRAINT fk_user_departments_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_user_departments_dept FOREIGN KEY (department_id) REFERENCES departments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- service_hours: NULL (always open) or the canonical JSON document of api.md
-- ({"timezone", "weekly", "closed_dates"}), validated by domain/org.c before it is stored.
CREATE TABLE IF NOT EXISTS agent_groups (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  service_hours TEXT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_agent_groups_tenant (tenant_id, id),
  CONSTRAINT fk_agent_groups_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Explicit members, in round-robin order (position).
CREATE TABLE IF NOT EXISTS group_members (
  tenant_id BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (group_id, user_id),
  KEY ix_group_members_user (tenant_id, user_id),
  CONSTRAINT fk_group_members_group FOREIGN KEY (group_id) REFERENCES agent_groups (id) ON DELETE CASCADE,
  CONSTRAINT fk_group_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Departments whose members (and sub-departments' members) serve the group. No
-- copy of the resulting member list is stored: it is computed by query each time.
CREATE TABLE IF NOT EXISTS group_departments (
  tenant_id BIGINT NOT NULL,
  group_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (group_id, department_id),
  KEY ix_group_departments_dept (tenant_id, department_id),
  CONSTRAINT fk_group_departments_group FOREIGN KEY (group_id) REFERENCES agent_groups (id) ON DELETE CASCADE,
  CONSTRAINT fk_group_departments_dept FOREIGN KEY (department_id) REFERENCES departments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
