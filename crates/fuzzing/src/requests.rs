//! The pages' forms and queries, as a browser of a signed-in coordinator sends them: one
//! application on a SQLite file with the quickscan cases, made once per process, and any bytes
//! as a query string or a form body of one of its routes. Any answer is fine but a 500: a form
//! or query, however odd, is the sender's mistake, never the server's.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dakwacht_store::SqliteStore;
use dakwacht_testkit::web::{COORD, Client, Session};

/// A route and how the bytes go in: as its query string (`GET`) or as its form body (`POST`,
/// after the session's form token).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/cases"),
    ("GET", "/dashboard"),
    ("GET", "/follow-up"),
    ("GET", "/export"),
    ("GET", "/cases/Straatalliantie/QS-01/letters/no_self_help"),
    ("POST", "/cases/new"),
    ("POST", "/cases/Straatalliantie/QS-01/edit"),
    ("POST", "/cases/Straatalliantie/QS-01/observations"),
    ("POST", "/cases/Straatalliantie/QS-01/close"),
    ("POST", "/cases/Straatalliantie/QS-01/letters/no_self_help"),
    ("POST", "/rechtencheck"),
    ("POST", "/account/password"),
];

struct Running {
    runtime: tokio::runtime::Runtime,
    client: &'static Client<SqliteStore>,
    session: Session<'static, SqliteStore>,
}

fn running() -> &'static Running {
    static RUNNING: OnceLock<Running> = OnceLock::new();
    RUNNING.get_or_init(|| {
        #[allow(clippy::expect_used)] // the harness itself failing is not a finding
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let (client, session) = runtime.block_on(async {
            let (dir, store) = dakwacht_testkit::sqlite().await;
            // Both live as long as the process.
            Box::leak(Box::new(dir));
            let client: &'static Client<SqliteStore> = Box::leak(Box::new(Client::on(store).await));
            client
                .add_user(COORD.username, COORD.role, COORD.organisation)
                .await;
            (client, client.sign_in(COORD.username).await)
        });
        Running {
            runtime,
            client,
            session,
        }
    })
}

/// The first byte picks the route; the rest is its query string or form body.
pub fn web_request(data: &[u8]) {
    let Some((&pick, payload)) = data.split_first() else {
        return;
    };
    let (method, path) = ROUTES[usize::from(pick) % ROUTES.len()];
    let running = running();
    let session = &running.session;
    let status = running.runtime.block_on(async {
        if method == "GET" {
            let Ok(query) = std::str::from_utf8(payload) else {
                return None;
            };
            let Ok(request) = Request::get(format!("{path}?{query}"))
                .header(
                    header::COOKIE,
                    format!("dakwacht_session={}", session.token),
                )
                .body(Body::empty())
            else {
                return None;
            };
            Some(running.client.send(request).await.status)
        } else {
            Some(session.post_bytes(path, payload).await.status)
        }
    });
    assert_ne!(
        status,
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{method} {path}: {}",
        String::from_utf8_lossy(payload)
    );
}
