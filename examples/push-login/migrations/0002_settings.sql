-- Secrets every instance must share (the CSRF key and salt), created by whichever starts first.
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
