//! Everything the example keeps: users, their factors, login attempts, sessions and the ids of
//! processed webhook events. One trait, two real implementations (SQLite, the embedded default,
//! and PostgreSQL), generated from the same SQL so both stay in step; tests run against both.

use async_trait::async_trait;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;

/// The migrations, embedded in the binary and applied at start (the first start creates the
/// schema). Listed by hand rather than with `sqlx::migrate!`, which needs sqlx's macros (and
/// their build cost) for nothing else here.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql")),
    (
        2,
        "settings",
        include_str!("../migrations/0002_settings.sql"),
    ),
];

#[derive(Debug)]
struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> futures_core::future::BoxFuture<
        's,
        std::result::Result<Vec<Migration>, sqlx::error::BoxDynError>,
    > {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|(version, name, sql)| {
                    Migration::new(
                        *version,
                        (*name).into(),
                        MigrationType::Simple,
                        (*sql).into(),
                        false,
                    )
                })
                .collect())
        })
    }
}

async fn migrator() -> std::result::Result<Migrator, sqlx::Error> {
    Ok(Migrator::new(Embedded).await?)
}

/// A store error: the database's message, never a query's parameters (passwords stay out).
pub type Result<T> = std::result::Result<T, sqlx::Error>;

/// A user.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub password_hash: String,
}

impl std::fmt::Debug for User {
    // The hash is not a secret in the usual sense, but it has no business in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A login attempt as the database sees it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub challenge_sid: String,
    pub user_id: String,
    pub email: String,
    /// `pending`, `approved`, `denied` or `consumed`.
    pub state: String,
    /// Past `expires_at` by the database's clock (so every instance agrees).
    pub expired: bool,
}

/// A factor bound to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    pub sid: String,
    pub friendly_name: String,
}

/// What the example keeps, wherever it keeps it.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// A new user; `None` when the email is taken.
    async fn create_user(&self, id: &str, email: &str, password_hash: &str)
    -> Result<Option<User>>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// Stores session `id` for `user_id`, valid `ttl_secs` from now.
    async fn create_session(&self, id: &str, user_id: &str, ttl_secs: i64) -> Result<()>;
    /// The user of an unexpired session.
    async fn session_user(&self, id: &str) -> Result<Option<User>>;
    async fn delete_session(&self, id: &str) -> Result<()>;
    /// Binds a factor to a user (again is a no-op).
    async fn add_factor(&self, user_id: &str, sid: &str, friendly_name: &str) -> Result<()>;
    async fn factors(&self, user_id: &str) -> Result<Vec<Factor>>;
    /// Unbinds a factor; false when it is not this user's.
    async fn remove_factor(&self, user_id: &str, sid: &str) -> Result<bool>;
    /// A pending login attempt for a challenge, polled by `poll_id`, expiring `ttl_secs` from now.
    async fn create_attempt(
        &self,
        challenge_sid: &str,
        poll_id: &str,
        user_id: &str,
        ttl_secs: i64,
    ) -> Result<()>;
    /// The attempt a browser polls with `poll_id`.
    async fn attempt(&self, poll_id: &str) -> Result<Option<Attempt>>;
    /// Moves an attempt from state `from` to `to`, only if it is in `from` and (for a pending
    /// one) unexpired; true when this call made the move, so it happens once across instances.
    async fn move_attempt(&self, challenge_sid: &str, from: &str, to: &str) -> Result<bool>;
    /// Records a webhook event id; true the first time, false for a replay.
    async fn first_delivery(&self, uuid: &str) -> Result<bool>;
    /// The setting `name`, set to `fresh` if it has none yet (the first instance's value wins).
    async fn setting_or_insert(&self, name: &str, fresh: &str) -> Result<String>;
}

/// Opens the store named by `url`: `sqlite://PATH` (created when missing) or `postgres://…`,
/// and applies the migrations.
pub async fn open(url: &str) -> std::result::Result<Box<dyn Store>, sqlx::Error> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let pool = PgPoolOptions::new().max_connections(8).connect(url).await?;
        migrator().await?.run(&pool).await?;
        Ok(Box::new(Postgres(pool)))
    } else if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            // WAL: readers do not block the writer; busy_timeout waits out a concurrent write.
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        migrator().await?.run(&pool).await?;
        Ok(Box::new(Sqlite(pool)))
    } else {
        Err(sqlx::Error::Configuration(
            "the database URL must start with sqlite: or postgres://".into(),
        ))
    }
}

/// The SQLite store.
#[derive(Debug, Clone)]
pub struct Sqlite(pub SqlitePool);

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct Postgres(pub PgPool);

/// The same queries for both databases; `{now}` is the database's clock in unix seconds.
/// `$1`-style parameters are PostgreSQL's and SQLite accepts them too.
macro_rules! sql_store {
    ($store:ty, $now:literal) => {
        impl $store {
            fn q(sql: &str) -> String {
                sql.replace("{now}", $now)
            }
        }

        #[async_trait]
        impl Store for $store {
            async fn create_user(
                &self,
                id: &str,
                email: &str,
                password_hash: &str,
            ) -> Result<Option<User>> {
                let sql = Self::q(
                    "INSERT INTO users (id, email, password_hash, created_at) \
                     VALUES ($1, $2, $3, {now}) ON CONFLICT (email) DO NOTHING",
                );
                let done = sqlx::query(&sql)
                    .bind(id)
                    .bind(email)
                    .bind(password_hash)
                    .execute(&self.0)
                    .await?;
                Ok((done.rows_affected() == 1).then(|| User {
                    id: id.into(),
                    email: email.into(),
                    password_hash: password_hash.into(),
                }))
            }

            async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
                let row: Option<(String, String, String)> = sqlx::query_as(
                    "SELECT id, email, password_hash FROM users WHERE email = $1",
                )
                .bind(email)
                .fetch_optional(&self.0)
                .await?;
                Ok(row.map(|(id, email, password_hash)| User {
                    id,
                    email,
                    password_hash,
                }))
            }

            async fn create_session(&self, id: &str, user_id: &str, ttl_secs: i64) -> Result<()> {
                let sql = Self::q(
                    "INSERT INTO sessions (id, user_id, created_at, expires_at) \
                     VALUES ($1, $2, {now}, {now} + $3)",
                );
                sqlx::query(&sql)
                    .bind(id)
                    .bind(user_id)
                    .bind(ttl_secs)
                    .execute(&self.0)
                    .await?;
                // Expired sessions go on the way: the table stays bounded without a janitor.
                let sql = Self::q("DELETE FROM sessions WHERE expires_at <= {now}");
                sqlx::query(&sql).execute(&self.0).await?;
                Ok(())
            }

            async fn session_user(&self, id: &str) -> Result<Option<User>> {
                let sql = Self::q(
                    "SELECT u.id, u.email, u.password_hash FROM sessions s \
                     JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > {now}",
                );
                let row: Option<(String, String, String)> = sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&self.0)
                    .await?;
                Ok(row.map(|(id, email, password_hash)| User {
                    id,
                    email,
                    password_hash,
                }))
            }

            async fn delete_session(&self, id: &str) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE id = $1")
                    .bind(id)
                    .execute(&self.0)
                    .await?;
                Ok(())
            }

            async fn add_factor(
                &self,
                user_id: &str,
                sid: &str,
                friendly_name: &str,
            ) -> Result<()> {
                let sql = Self::q(
                    "INSERT INTO factors (sid, user_id, friendly_name, created_at) \
                     VALUES ($1, $2, $3, {now}) ON CONFLICT (sid) DO NOTHING",
                );
                sqlx::query(&sql)
                    .bind(sid)
                    .bind(user_id)
                    .bind(friendly_name)
                    .execute(&self.0)
                    .await?;
                Ok(())
            }

            async fn factors(&self, user_id: &str) -> Result<Vec<Factor>> {
                let rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT sid, friendly_name FROM factors WHERE user_id = $1 \
                     ORDER BY created_at, sid",
                )
                .bind(user_id)
                .fetch_all(&self.0)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(sid, friendly_name)| Factor { sid, friendly_name })
                    .collect())
            }

            async fn remove_factor(&self, user_id: &str, sid: &str) -> Result<bool> {
                let done = sqlx::query("DELETE FROM factors WHERE sid = $1 AND user_id = $2")
                    .bind(sid)
                    .bind(user_id)
                    .execute(&self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn create_attempt(
                &self,
                challenge_sid: &str,
                poll_id: &str,
                user_id: &str,
                ttl_secs: i64,
            ) -> Result<()> {
                let sql = Self::q(
                    "INSERT INTO login_attempts (challenge_sid, poll_id, user_id, state, \
                     created_at, expires_at) VALUES ($1, $2, $3, 'pending', {now}, {now} + $4)",
                );
                sqlx::query(&sql)
                    .bind(challenge_sid)
                    .bind(poll_id)
                    .bind(user_id)
                    .bind(ttl_secs)
                    .execute(&self.0)
                    .await?;
                // Attempts a day past their expiry are of no use to anyone: gone on the way.
                let sql = Self::q("DELETE FROM login_attempts WHERE expires_at < {now} - 86400");
                sqlx::query(&sql).execute(&self.0).await?;
                Ok(())
            }

            async fn attempt(&self, poll_id: &str) -> Result<Option<Attempt>> {
                let sql = Self::q(
                    "SELECT a.challenge_sid, a.user_id, u.email, a.state, \
                     CASE WHEN a.expires_at <= {now} THEN 1 ELSE 0 END \
                     FROM login_attempts a JOIN users u ON u.id = a.user_id \
                     WHERE a.poll_id = $1",
                );
                let row: Option<(String, String, String, String, i32)> = sqlx::query_as(&sql)
                    .bind(poll_id)
                    .fetch_optional(&self.0)
                    .await?;
                Ok(row.map(|(challenge_sid, user_id, email, state, expired)| Attempt {
                    challenge_sid,
                    user_id,
                    email,
                    state,
                    expired: expired != 0,
                }))
            }

            async fn move_attempt(&self, challenge_sid: &str, from: &str, to: &str) -> Result<bool> {
                let sql = Self::q(
                    "UPDATE login_attempts SET state = $1 WHERE challenge_sid = $2 \
                     AND state = $3 AND (state <> 'pending' OR expires_at > {now})",
                );
                let done = sqlx::query(&sql)
                    .bind(to)
                    .bind(challenge_sid)
                    .bind(from)
                    .execute(&self.0)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn first_delivery(&self, uuid: &str) -> Result<bool> {
                let sql = Self::q(
                    "INSERT INTO webhook_events (uuid, received_at) VALUES ($1, {now}) \
                     ON CONFLICT (uuid) DO NOTHING",
                );
                let done = sqlx::query(&sql).bind(uuid).execute(&self.0).await?;
                // Twilio retries a delivery for hours, not weeks: a month of ids is plenty,
                // and the table stays bounded without a janitor.
                let sql = Self::q("DELETE FROM webhook_events WHERE received_at < {now} - 2592000");
                sqlx::query(&sql).execute(&self.0).await?;
                Ok(done.rows_affected() == 1)
            }

            async fn setting_or_insert(&self, name: &str, fresh: &str) -> Result<String> {
                sqlx::query(
                    "INSERT INTO settings (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(fresh)
                .execute(&self.0)
                .await?;
                let (value,): (String,) =
                    sqlx::query_as("SELECT value FROM settings WHERE name = $1")
                        .bind(name)
                        .fetch_one(&self.0)
                        .await?;
                Ok(value)
            }
        }
    };
}

sql_store!(Sqlite, "CAST(strftime('%s', 'now') AS INTEGER)");
sql_store!(Postgres, "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)");
