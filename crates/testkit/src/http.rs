//! Raw HTTP/1.1 to a running `dakwacht serve` (a child process), as a browser would speak it.

use std::io::{Read, Write};

/// Sends one request and reads the whole answer (head and body) as text.
pub fn exchange(address: &str, request: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// `GET path`, with the session cookie when given: the whole answer.
pub fn get(address: &str, path: &str, session: Option<&str>) -> String {
    let cookie = session
        .map(|token| format!("Cookie: dakwacht_session={token}\r\n"))
        .unwrap_or_default();
    exchange(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n{cookie}Connection: close\r\n\r\n"),
    )
}

/// The status line and the body of an answer.
pub fn status_and_body(response: &str) -> (String, String) {
    let status = response.lines().next().unwrap_or_default().to_string();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Signs in as a browser does: opens the sign-in page for its form token (a hidden field and a
/// cookie), then sends the form. Returns the whole answer.
pub fn sign_in(address: &str, username: &str, password: &str) -> String {
    let page = get(address, "/login", None);
    let cookie = page
        .lines()
        .filter_map(|line| line.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("dakwacht_login_csrf="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no form token cookie: {page}"))
        .to_string();
    let csrf = crate::web::csrf_of(&page);
    let form = format!(
        "csrf={csrf}&{}",
        crate::web::credentials(username, password)
    );
    exchange(
        address,
        &format!(
            "POST /login HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    )
}

/// The session cookie's value an answer sets.
pub fn session_of(response: &str) -> String {
    response
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: dakwacht_session="))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {response}"))
        .to_string()
}
