//! The backend-neutral layer of the store: one way for the typed methods to
//! run SQL on SQLite (rusqlite) or PostgreSQL (the `postgres` crate).
//!
//! # The SQL written once
//!
//! A converted module writes each statement once, in the subset both
//! databases accept, with SQLite's placeholders (`?1`, `?2`, or `?`):
//!
//! * `INSERT ... RETURNING id` for a generated id (no `last_insert_rowid`);
//! * `INSERT ... ON CONFLICT ... DO NOTHING | DO UPDATE` (no `INSERT OR
//!   IGNORE`, no `INSERT OR REPLACE`);
//! * `IS NOT DISTINCT FROM` to compare with a value that may be NULL (not
//!   SQLite's `IS ?`);
//! * booleans are stored as the integers 0 and 1 on both (a `CHECK (x IN
//!   (0, 1))` column); a boolean *expression* (`EXISTS`, `x IS NOT NULL`) is
//!   read as `bool` (or as `i64`) on both;
//! * times are RFC 3339 text written by Rust ([`crate::time`]), never
//!   computed in SQL (no `strftime`, no `now()`);
//! * no pragma and no other dialect-only statement outside this module and
//!   [`crate::migrate`].
//!
//! For PostgreSQL the placeholders are rewritten to `$1`, `$2`, ... once
//! per statement and connection ([`postgres_placeholders`]), and every
//! parameter is sent with an explicit type (`bigint`, `text`, `bytea`), so
//! that a `NULL` or a `? IS NULL` test needs no cast in the SQL.
//!
//! # What stays per backend
//!
//! SQLite keeps its prepared-statement cache (`prepare_cached`) and the
//! server's read-only connections; PostgreSQL keeps a prepared statement
//! per SQL text on each pooled connection. Write transactions are serial
//! on both: SQLite has one writer, and on PostgreSQL every write
//! transaction first takes one transaction-scoped advisory lock
//! ([`WRITE_LOCK`]), so that the checks the typed methods make before they
//! write, and the audit chain's read of its last entry, see what the
//! previous write committed, as on SQLite. Reads do not take it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;

use postgres::types::{IsNull, ToSql as PgToSql, Type};

use crate::StoreError;

/// Which database a [`Db`] talks to, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// The embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A connection (or a transaction on one) that a typed method runs its
/// SQL on.
pub(crate) enum Db<'a> {
    /// A SQLite connection or transaction (a transaction derefs to its
    /// connection).
    Sqlite(&'a rusqlite::Connection),
    /// A pooled PostgreSQL connection, inside a transaction or not.
    Postgres(&'a RefCell<PgConnection>),
}

/// The type of a parameter as sent to PostgreSQL (SQLite needs none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// `bigint`.
    Integer,
    /// `text`.
    Text,
    /// `bytea`.
    Bytes,
}

impl Kind {
    fn postgres(self) -> Type {
        match self {
            Kind::Integer => Type::INT8,
            Kind::Text => Type::TEXT,
            Kind::Bytes => Type::BYTEA,
        }
    }
}

/// One parameter value, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    /// NULL, of a type.
    Null(Kind),
    /// An integer (booleans are 0 and 1).
    Integer(i64),
    /// A text.
    Text(&'a str),
    /// Bytes.
    Bytes(&'a [u8]),
}

impl Param<'_> {
    fn kind(&self) -> Kind {
        match self {
            Param::Null(kind) => *kind,
            Param::Integer(_) => Kind::Integer,
            Param::Text(_) => Kind::Text,
            Param::Bytes(_) => Kind::Bytes,
        }
    }
}

/// A value that can be bound to a placeholder.
pub(crate) trait ToValue {
    /// The value as a parameter.
    fn to_param(&self) -> Param<'_>;
}

/// The parameter type of a Rust type, for its `None`.
pub(crate) trait Typed {
    /// The kind of its values.
    const KIND: Kind;
}

macro_rules! integer_values {
    ($($ty:ty),*) => {$(
        impl ToValue for $ty {
            fn to_param(&self) -> Param<'_> {
                Param::Integer(i64::from(*self))
            }
        }
        impl Typed for $ty {
            const KIND: Kind = Kind::Integer;
        }
    )*};
}
integer_values!(i64, i32, u32, u16, u8, bool);

impl ToValue for usize {
    fn to_param(&self) -> Param<'_> {
        Param::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl Typed for usize {
    const KIND: Kind = Kind::Integer;
}

impl ToValue for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl Typed for str {
    const KIND: Kind = Kind::Text;
}
impl ToValue for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl Typed for String {
    const KIND: Kind = Kind::Text;
}
impl ToValue for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self)
    }
}
impl Typed for [u8] {
    const KIND: Kind = Kind::Bytes;
}
impl ToValue for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Bytes(self)
    }
}
impl Typed for Vec<u8> {
    const KIND: Kind = Kind::Bytes;
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}
impl<T: Typed + ?Sized> Typed for &T {
    const KIND: Kind = T::KIND;
}
impl<T: ToValue + Typed> ToValue for Option<T> {
    fn to_param(&self) -> Param<'_> {
        match self {
            Some(value) => value.to_param(),
            None => Param::Null(T::KIND),
        }
    }
}
impl<T: Typed> Typed for Option<T> {
    const KIND: Kind = T::KIND;
}

/// The parameters of one statement: `()`, an array, a tuple (up to 12),
/// or a slice of `&dyn ToValue`.
pub(crate) trait Params {
    /// The values, in placeholder order.
    fn params(&self) -> Vec<Param<'_>>;
}

impl Params for () {
    fn params(&self) -> Vec<Param<'_>> {
        Vec::new()
    }
}

impl<T: ToValue, const N: usize> Params for [T; N] {
    fn params(&self) -> Vec<Param<'_>> {
        self.iter().map(ToValue::to_param).collect()
    }
}

impl Params for &[&dyn ToValue] {
    fn params(&self) -> Vec<Param<'_>> {
        self.iter().map(|value| value.to_param()).collect()
    }
}

macro_rules! tuple_params {
    ($($name:ident : $index:tt),+) => {
        impl<$($name: ToValue),+> Params for ($($name,)+) {
            fn params(&self) -> Vec<Param<'_>> {
                vec![$(self.$index.to_param()),+]
            }
        }
    };
}
tuple_params!(A: 0);
tuple_params!(A: 0, B: 1);
tuple_params!(A: 0, B: 1, C: 2);
tuple_params!(A: 0, B: 1, C: 2, D: 3);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9, K: 10);
tuple_params!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9, K: 10, L: 11);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match *self {
            Param::Null(_) => ToSqlOutput::Owned(Value::Null),
            Param::Integer(number) => ToSqlOutput::Owned(Value::Integer(number)),
            Param::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Param::Bytes(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
        })
    }
}

impl PgToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Param::Null(_) => Ok(IsNull::Yes),
            Param::Integer(number) => match *ty {
                Type::INT4 => i32::try_from(number)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(number)?.to_sql(ty, out),
                Type::BOOL => (number != 0).to_sql(ty, out),
                _ => number.to_sql(ty, out),
            },
            Param::Text(text) => text.to_sql(ty, out),
            Param::Bytes(bytes) => bytes.to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// One row of a result, read by column index (from 0).
pub(crate) enum Row<'a> {
    /// A SQLite row.
    Sqlite(&'a rusqlite::Row<'a>),
    /// A PostgreSQL row.
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// The value of column `index`.
    pub(crate) fn get<T: FromValue>(&self, index: usize) -> Result<T, StoreError> {
        match self {
            Row::Sqlite(row) => Ok(row.get(index)?),
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }
}

/// A Rust type a column can be read into. On SQLite it is rusqlite's
/// conversion; on PostgreSQL the integer types and `bool` are read
/// whatever their width (`count(*)` is `bigint`, `length()` an `integer`,
/// `EXISTS` a `boolean`).
pub(crate) trait FromValue: rusqlite::types::FromSql + Sized {
    /// The value, or `None` for NULL.
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<Self>, StoreError>;

    /// The value; NULL is an error.
    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError> {
        Self::from_postgres_nullable(row, index)?
            .ok_or_else(|| StoreError::BadValue(format!("NULL in column {index}")))
    }
}

fn integer_column(row: &postgres::Row, index: usize) -> Result<Option<i64>, StoreError> {
    let column_type = row.columns().get(index).map(|column| column.type_().clone());
    Ok(match column_type {
        Some(Type::INT4) => row.try_get::<_, Option<i32>>(index)?.map(i64::from),
        Some(Type::INT2) => row.try_get::<_, Option<i16>>(index)?.map(i64::from),
        Some(Type::BOOL) => row.try_get::<_, Option<bool>>(index)?.map(i64::from),
        _ => row.try_get::<_, Option<i64>>(index)?,
    })
}

impl FromValue for i64 {
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<i64>, StoreError> {
        integer_column(row, index)
    }
}

macro_rules! narrow_integers {
    ($($ty:ty),*) => {$(
        impl FromValue for $ty {
            fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<$ty>, StoreError> {
                integer_column(row, index)?
                    .map(|number| <$ty>::try_from(number).map_err(|_| StoreError::BadValue(format!("{number}"))))
                    .transpose()
            }
        }
    )*};
}
narrow_integers!(u32, u16, i32);

impl FromValue for bool {
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<bool>, StoreError> {
        Ok(integer_column(row, index)?.map(|number| number != 0))
    }
}

impl FromValue for String {
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<String>, StoreError> {
        Ok(row.try_get(index)?)
    }
}

impl FromValue for Vec<u8> {
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(row.try_get(index)?)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<Option<T>>, StoreError> {
        Ok(Some(T::from_postgres_nullable(row, index)?))
    }
}

/// A column read whatever its type (the audit chain hashes the stored
/// values as they are).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnyValue {
    /// NULL.
    Null,
    /// An integer.
    Integer(i64),
    /// A text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl rusqlite::types::FromSql for AnyValue {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<AnyValue> {
        use rusqlite::types::ValueRef;
        Ok(match value {
            ValueRef::Null => AnyValue::Null,
            ValueRef::Integer(number) => AnyValue::Integer(number),
            // Never written by the store: kept as its text.
            ValueRef::Real(number) => AnyValue::Text(number.to_string()),
            ValueRef::Text(text) => AnyValue::Text(String::from_utf8_lossy(text).into_owned()),
            ValueRef::Blob(bytes) => AnyValue::Bytes(bytes.to_vec()),
        })
    }
}

impl FromValue for AnyValue {
    fn from_postgres_nullable(row: &postgres::Row, index: usize) -> Result<Option<AnyValue>, StoreError> {
        let column_type = row.columns().get(index).map(|column| column.type_().clone());
        let value = match column_type {
            Some(Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL) => {
                integer_column(row, index)?.map(AnyValue::Integer)
            }
            Some(Type::BYTEA) => row.try_get::<_, Option<Vec<u8>>>(index)?.map(AnyValue::Bytes),
            _ => row.try_get::<_, Option<String>>(index)?.map(AnyValue::Text),
        };
        Ok(Some(value.unwrap_or(AnyValue::Null)))
    }
}

impl Db<'_> {
    /// Which database this is.
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; returns how many rows it changed.
    pub(crate) fn run<P: Params>(&self, sql: &str, params: P) -> Result<usize, StoreError> {
        let values = params.params();
        match self {
            Db::Sqlite(connection) => {
                Ok(connection.prepare_cached(sql)?.execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Db::Postgres(connection) => {
                let mut connection = connection.borrow_mut();
                let statement = connection.statement(sql, &values)?;
                let refs = postgres_refs(&values);
                let changed = connection.client.execute(&statement, &refs)?;
                Ok(usize::try_from(changed).unwrap_or(usize::MAX))
            }
        }
    }

    /// The first row of a query, or `None` when it has none.
    pub(crate) fn row_opt<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<Option<T>, StoreError>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T, StoreError>,
    {
        // `for_each` stops after the first row, so SQLite reads no further.
        let mut f = Some(f);
        let mut first = None;
        self.for_each(sql, params, |row| {
            if let Some(f) = f.take() {
                first = Some(f(row)?);
            }
            Ok(false)
        })?;
        Ok(first)
    }

    /// The first row of a query that must have one.
    pub(crate) fn row<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<T, StoreError>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T, StoreError>,
    {
        self.row_opt(sql, params, f)?.ok_or(StoreError::NoRow)
    }

    /// Every row of a query, each through `f`.
    pub(crate) fn rows<T, P, F>(&self, sql: &str, params: P, mut f: F) -> Result<Vec<T>, StoreError>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T, StoreError>,
    {
        let mut found = Vec::new();
        self.for_each(sql, params, |row| {
            found.push(f(row)?);
            Ok(true)
        })?;
        Ok(found)
    }

    /// Calls `f` on each row of a query in turn, until it answers `false`;
    /// SQLite streams the rows (a walk over the whole audit log). The one
    /// place a query is sent, for [`Db::row_opt`] and [`Db::rows`] too.
    pub(crate) fn for_each<P, F>(&self, sql: &str, params: P, mut f: F) -> Result<(), StoreError>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<bool, StoreError>,
    {
        let values = params.params();
        match self {
            Db::Sqlite(connection) => {
                let mut statement = connection.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(row) = rows.next()? {
                    if !f(&Row::Sqlite(row))? {
                        break;
                    }
                }
                Ok(())
            }
            Db::Postgres(connection) => {
                let rows = {
                    let mut connection = connection.borrow_mut();
                    let statement = connection.statement(sql, &values)?;
                    let refs = postgres_refs(&values);
                    connection.client.query(&statement, &refs)?
                };
                for row in &rows {
                    if !f(&Row::Postgres(row))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// Runs several statements without parameters (migrations only).
    pub(crate) fn batch(&self, sql: &str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(connection) => Ok(connection.execute_batch(sql)?),
            Db::Postgres(connection) => Ok(connection.borrow_mut().client.batch_execute(sql)?),
        }
    }
}

fn postgres_refs<'a>(values: &'a [Param<'a>]) -> Vec<&'a (dyn PgToSql + Sync)> {
    values.iter().map(|value| value as &(dyn PgToSql + Sync)).collect()
}

/// SQLite's placeholders (`?NNN`, and `?` numbered after the highest so
/// far) as PostgreSQL's (`$NNN`). Quoted strings, quoted names and `--`
/// comments are left as they are.
pub(crate) fn postgres_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut highest = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(digit) = chars.peek().filter(|next| next.is_ascii_digit()) {
                    digits.push(*digit);
                    chars.next();
                }
                let number = if digits.is_empty() { highest + 1 } else { digits.parse().unwrap_or(0) };
                highest = highest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// The key of the advisory lock every PostgreSQL write transaction takes
/// first (an arbitrary number, the same for every grille instance on the
/// database: "grille" in ASCII).
pub(crate) const WRITE_LOCK: i64 = 0x67_72_69_6c_6c_65;

/// One PostgreSQL connection with its prepared statements.
pub(crate) struct PgConnection {
    client: postgres::Client,
    statements: HashMap<(String, Vec<Kind>), postgres::Statement>,
}

impl PgConnection {
    /// The prepared statement of `sql` for parameters of these kinds,
    /// prepared on first use.
    fn statement(&mut self, sql: &str, values: &[Param<'_>]) -> Result<postgres::Statement, StoreError> {
        let kinds: Vec<Kind> = values.iter().map(Param::kind).collect();
        let key = (sql.to_owned(), kinds);
        if let Some(statement) = self.statements.get(&key) {
            return Ok(statement.clone());
        }
        let types: Vec<Type> = key.1.iter().map(|kind| kind.postgres()).collect();
        let statement = self.client.prepare_typed(&postgres_placeholders(sql), &types)?;
        if self.statements.len() >= crate::STATEMENT_CACHE {
            self.statements.clear();
        }
        self.statements.insert(key, statement.clone());
        Ok(statement)
    }
}

/// A small pool of PostgreSQL connections: a free one is reused, a new one
/// is opened when none is free, up to `size` connections at once (a call
/// beyond waits for one, at most [`Pool::WAIT`], then answers
/// [`StoreError::Unavailable`]). When the server is out of reach, every
/// free connection is dropped, so that the calls after its return open new
/// ones: the pool recovers by itself.
pub(crate) struct Pool {
    config: postgres::Config,
    idle: Mutex<Vec<PgConnection>>,
    /// How many connections are open (free or in use), and the largest
    /// number allowed.
    open: Mutex<usize>,
    size: usize,
    freed: std::sync::Condvar,
    /// Set by [`Pool::close`]: later calls answer [`StoreError::Closed`].
    closed: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").finish_non_exhaustive()
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.close();
    }
}

impl Pool {
    /// The number of connections of a pool when none is given.
    pub(crate) const DEFAULT_SIZE: usize = 16;

    /// How long a call waits for a connection when all are in use.
    const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

    /// How long opening a connection may take when the URL says nothing.
    const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

    /// A pool for the database at `url` (`postgres://user@host/db` or
    /// `host=... dbname=...`) of at most `size` connections; opens one
    /// connection to check it.
    pub(crate) fn open(url: &str, size: usize) -> Result<Pool, StoreError> {
        let config: postgres::Config =
            url.parse().map_err(|error| StoreError::BadValue(format!("PostgreSQL URL: {error}")))?;
        Pool::open_config(config, size)
    }

    /// A pool for the database `config` names; opens one connection to
    /// check it.
    pub(crate) fn open_config(mut config: postgres::Config, size: usize) -> Result<Pool, StoreError> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Self::CONNECT_TIMEOUT);
        }
        let pool = Pool {
            config,
            idle: Mutex::new(Vec::new()),
            open: Mutex::new(0),
            size: size.max(1),
            freed: std::sync::Condvar::new(),
            closed: std::sync::atomic::AtomicBool::new(false),
        };
        let first = off_runtime(|| pool.take())?;
        pool.give_back(first);
        Ok(pool)
    }

    fn connect(&self) -> Result<PgConnection, StoreError> {
        let client = self.config.connect(postgres::NoTls)?;
        Ok(PgConnection { client, statements: HashMap::new() })
    }

    /// A free connection, or a new one while fewer than `size` are open.
    fn take(&self) -> Result<PgConnection, StoreError> {
        if self.closed.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(StoreError::Closed);
        }
        loop {
            let idle = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
            match idle {
                Some(connection) if connection.client.is_closed() => self.forget_one(),
                Some(connection) => return Ok(connection),
                None => break,
            }
        }
        {
            let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let deadline = std::time::Instant::now() + Self::WAIT;
            loop {
                if let Some(connection) =
                    self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop()
                {
                    return Ok(connection);
                }
                if *open < self.size {
                    *open += 1;
                    break;
                }
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    return Err(StoreError::Unavailable(format!(
                        "les {} connexions à PostgreSQL sont toutes occupées",
                        self.size
                    )));
                }
                open = self.freed.wait_timeout(open, left).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
            }
        }
        self.connect().inspect_err(|error| {
            self.forget_one();
            self.after_error(error);
        })
    }

    /// One open connection fewer (closed, or never opened).
    fn forget_one(&self) {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *open = open.saturating_sub(1);
        self.freed.notify_one();
    }

    fn give_back(&self, connection: PgConnection) {
        if connection.client.is_closed() || self.closed.load(std::sync::atomic::Ordering::SeqCst) {
            drop(connection);
            self.forget_one();
            return;
        }
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(connection);
        // Under the count's lock, so that a waiter cannot miss it.
        let _open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.freed.notify_one();
    }

    /// After a failed call: when the server was out of reach, the free
    /// connections are dropped too (they broke with it).
    fn after_error(&self, error: &StoreError) {
        if matches!(error, StoreError::Unavailable(_)) {
            let stale =
                std::mem::take(&mut *self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
            for connection in stale {
                drop(connection);
                self.forget_one();
            }
        }
    }

    /// Closes the free connections (the busy ones close when given back
    /// after the pool is dropped).
    pub(crate) fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        // Closing a client blocks too.
        let _ = off_runtime(move || {
            drop(idle);
            Ok(())
        });
    }

    /// Runs `f` on a connection outside any transaction (each statement
    /// commits alone).
    pub(crate) fn autocommit<T: Send>(
        &self,
        f: impl FnOnce(&Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        off_runtime(|| self.autocommit_here(f))
    }

    fn autocommit_here<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let cell = RefCell::new(self.take()?);
        let slot = Slot(self);
        let result = f(&Db::Postgres(&cell));
        std::mem::forget(slot);
        self.give_back(cell.into_inner());
        if let Err(error) = &result {
            self.after_error(error);
        }
        result
    }

    /// Runs `f` in a transaction: committed when `f` returns `Ok`, rolled
    /// back otherwise. A write transaction (`write`) first waits for the
    /// [`WRITE_LOCK`]; a read-only one sees one snapshot (repeatable read).
    pub(crate) fn transaction<T: Send>(
        &self,
        write: bool,
        f: impl FnOnce(&Db<'_>) -> Result<T, StoreError> + Send,
    ) -> Result<T, StoreError> {
        off_runtime(|| self.transaction_here(write, f))
    }

    fn transaction_here<T>(
        &self,
        write: bool,
        f: impl FnOnce(&Db<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let begin = if write {
            format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".to_owned()
        };
        // A free connection may have broken while it waited (the server
        // restarted): nothing was sent yet, so once on a new connection.
        let mut connection = self.take()?;
        if let Err(error) = connection.client.batch_execute(&begin) {
            let error = StoreError::from(error);
            drop(connection);
            self.forget_one();
            self.after_error(&error);
            if !matches!(error, StoreError::Unavailable(_)) {
                return Err(error);
            }
            connection = self.take()?;
            if let Err(error) = connection.client.batch_execute(&begin) {
                let error = StoreError::from(error);
                drop(connection);
                self.forget_one();
                self.after_error(&error);
                return Err(error);
            }
        }
        let cell = RefCell::new(connection);
        // A panic in `f` drops the connection without giving it back: the
        // server ends its open transaction, and `slot` counts it closed.
        let slot = Slot(self);
        let result = f(&Db::Postgres(&cell));
        std::mem::forget(slot);
        let mut connection = cell.into_inner();
        let ended = match &result {
            Ok(_) => connection.client.batch_execute("COMMIT"),
            Err(_) => connection.client.batch_execute("ROLLBACK"),
        };
        match ended {
            Ok(()) => {
                self.give_back(connection);
                if let Err(error) = &result {
                    self.after_error(error);
                }
                result
            }
            Err(error) => {
                let error = StoreError::from(error);
                drop(connection);
                self.forget_one();
                self.after_error(&error);
                Err(result.err().unwrap_or(error))
            }
        }
    }
}

/// The place of a connection lent out of the pool, while `f` runs with
/// it: dropped only when `f` panics (otherwise forgotten), it counts the
/// connection as closed, so that a panic does not shrink the pool.
struct Slot<'a>(&'a Pool);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.forget_one();
    }
}

/// Runs `f` where the blocking `postgres` client may run: on this thread,
/// or, when this thread drives an async runtime (a store method called
/// from async code without `spawn_blocking`, which SQLite tolerates), on a
/// scoped thread of its own: the client blocks on a runtime of its own,
/// which cannot start inside another.
pub(crate) fn off_runtime<T: Send>(
    f: impl FnOnce() -> Result<T, StoreError> + Send,
) -> Result<T, StoreError> {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| {
        scope
            .spawn(f)
            .join()
            .unwrap_or_else(|_| Err(StoreError::Commit("la requête PostgreSQL a paniqué".to_owned())))
    })
}

/// Turns a unique-constraint failure into [`StoreError::AlreadyExists`] and
/// a foreign-key failure into [`StoreError::NotFound`], on either backend;
/// anything else is returned as it is.
pub(crate) fn constraint(error: StoreError, entity: &'static str) -> StoreError {
    use postgres::error::SqlState;
    use rusqlite::ffi;
    match &error {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => match failure.extended_code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                StoreError::AlreadyExists { entity }
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::NotFound { entity },
            _ => error,
        },
        StoreError::Postgres(failure) => match failure.code() {
            Some(code) if *code == SqlState::UNIQUE_VIOLATION => StoreError::AlreadyExists { entity },
            Some(code) if *code == SqlState::FOREIGN_KEY_VIOLATION => StoreError::NotFound { entity },
            _ => error,
        },
        _ => error,
    }
}

/// Whether `error` is a `CHECK` constraint refusing a value (or, on
/// SQLite, any constraint: its error codes do not always tell them apart).
pub(crate) fn is_check_violation(error: &StoreError) -> bool {
    match error {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => {
            failure.code == rusqlite::ErrorCode::ConstraintViolation
        }
        StoreError::Postgres(failure) => failure.code() == Some(&postgres::error::SqlState::CHECK_VIOLATION),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::postgres_placeholders;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        let cases = [
            ("SELECT id FROM users WHERE id = ?1", "SELECT id FROM users WHERE id = $1"),
            ("VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)", "VALUES ($1, $2, $3, $4, $5, $4, $6)"),
            ("WHERE a = ? AND b = ?", "WHERE a = $1 AND b = $2"),
            ("WHERE a = ?2 AND b = ?", "WHERE a = $2 AND b = $3"),
            ("WHERE a = '?1' AND b = ?1", "WHERE a = '?1' AND b = $1"),
            ("SELECT \"?\" -- what?\n, ?1", "SELECT \"?\" -- what?\n, $1"),
            ("WHERE (?1 IS NULL OR entity = ?1) LIMIT ?3", "WHERE ($1 IS NULL OR entity = $1) LIMIT $3"),
        ];
        for (sqlite, postgres) in cases {
            assert_eq!(postgres_placeholders(sqlite), postgres, "{sqlite}");
        }
    }
}
