-- A staff account linked to its own employee record (一人一档): the person whose entry pass
-- the account shows on /me and for whom it declares temperatures. An employee has at most
-- one account; the link is set and cleared by the enterprise (roster.edit) and audited.

ALTER TABLE users ADD COLUMN employee_id BIGINT REFERENCES employees(id);
CREATE UNIQUE INDEX users_employee ON users(employee_id) WHERE employee_id IS NOT NULL;
