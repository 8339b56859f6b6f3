// The migrations are embedded by `sqlx::migrate!` at compile time; without this, adding a
// migration file changes no Rust source and cargo would keep the binary without it (the sqlx
// documentation's advice, as `sqlx migrate build-script` writes it).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
