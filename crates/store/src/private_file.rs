//! Files that hold case data are readable by their owner only (0600 on Unix): the database, its
//! `-wal` and `-shm` files, backups, the copy kept by a restore, and exports. On a shared server
//! a default umask (0644) would let every local user read them.
//!
//! SQLite gives a database's `-wal` and `-shm` files the permissions of the database file itself,
//! so creating the database 0600 covers them too.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `path` for writing, or truncates it, readable and writable by the owner only. A file
/// that existed with wider permissions is narrowed too: it is about to hold case data.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    owner_only(&mut options);
    let file = options.open(path)?;
    narrow(&file)?;
    Ok(file)
}

/// Creates an empty file at `path`, owner only, unless something is there already (then nothing
/// is changed: an existing database keeps the permissions its operator gave it).
pub(crate) fn precreate_private(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    owner_only(&mut options);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Narrows the permissions of a file written by someone else (SQLite's `VACUUM INTO`, a copy).
pub(crate) fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn owner_only(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
}

fn narrow(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}
