//! Second factors for test accounts: the administrators and coordinators a test makes get a
//! known TOTP seed and [`RECOVERY_CODES`] known recovery codes, so that signing in (which needs
//! the second factor for them) stays one line in a test.

use std::sync::atomic::{AtomicUsize, Ordering};

use dakwacht_store::Store;
use sha2::{Digest, Sha256};

/// The TOTP seed of every test account made with a second factor (base32, 160 bits).
pub const TEST_SEED: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DP";
/// How many recovery codes a test account gets; every sign-in of a test uses the next one.
pub const RECOVERY_CODES: usize = 100;

static NEXT_CODE: AtomicUsize = AtomicUsize::new(0);

/// Recovery code `n` of every test account (24 characters, as real ones are).
pub fn recovery_code(n: usize) -> String {
    format!("{n:024}")
}

/// A recovery code no sign-in of this test process has used.
pub fn next_recovery_code() -> String {
    let n = NEXT_CODE.fetch_add(1, Ordering::Relaxed);
    assert!(
        n < RECOVERY_CODES,
        "a test signed in more than {RECOVERY_CODES} times"
    );
    recovery_code(n)
}

/// Sets up the test seed and recovery codes for an account, as its user would in the pages.
pub async fn give_second_factor<S: Store>(store: &S, username: &str) {
    let hashes: Vec<String> = (0..RECOVERY_CODES)
        .map(|n| {
            Sha256::digest(recovery_code(n).as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect();
    store
        .enrol_second_factor(username, TEST_SEED, 0, &hashes, "")
        .await
        .unwrap();
}

/// The TOTP code of a base32 seed at a moment (seconds since 1970), as an authenticator app
/// shows it.
pub fn totp_code(secret: &str, at: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret.replace(' ', "")).unwrap();
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .unwrap()
        .generate(at)
        .to_string()
}

/// Seconds since 1970, now.
pub fn now() -> u64 {
    u64::try_from(jiff::Timestamp::now().as_second()).unwrap()
}
