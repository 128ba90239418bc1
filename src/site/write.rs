//! Writing the output: the only code that writes the site.
//!
//! A build writes into a fresh sibling folder (`.<name>.scholia-tmp-<pid>`) and swaps it in
//! only when everything succeeded, so a failed build leaves the previous output exactly as it
//! was. Before that, [`guard`] refuses output folders that are not Scholia's to replace: the
//! file-system root, the home folder, the site root or its sources, and any non-empty folder
//! without the marker file a previous build left.

use crate::codes;
use crate::error::Diagnostic;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as Scholia's output.
pub const MARKER: &str = ".scholia-output";

/// What the marker file says.
pub const MARKER_TEXT: &str = "This folder is written by Scholia; a build replaces it whole.\n";

/// What the marker file says while a build moves its new files in ([`Staging::commit_in_place`]):
/// a build that finds it takes nothing from this output.
pub const MARKER_MOVING: &str =
    "This folder is written by Scholia; a build was moving its files in and did not finish.\n";

/// How many first bytes of a previous output's file [`Staging::reuse`] reads.
pub const PREFIX: usize = 256;

/// A folder being filled, to be swapped in by [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    target: PathBuf,
}

/// Makes `path` absolute and drops `.` and `..` without touching the disk (the output may not
/// exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Why `out` may not be written (replaced) by a build of the site at `root`, if it may not.
/// Pure apart from looking at the output folder's entries: tests call it with `/` and the
/// home folder without any build running.
pub fn guard(out: &Path, root: &Path, home: Option<&Path>) -> Result<(), String> {
    let out_abs = absolute(out);
    let root_abs = absolute(root);
    let shown = out.display();
    if out_abs.parent().is_none() {
        return Err(format!("refusing to write the site to `{shown}`: that is the root of the file system; choose an empty or new folder with --out"));
    }
    if home.is_some_and(|h| absolute(h) == out_abs) {
        return Err(format!("refusing to write the site to `{shown}`: that is your home folder; choose an empty or new folder with --out"));
    }
    if root_abs.starts_with(&out_abs) {
        return Err(format!("refusing to write the site to `{shown}`: it contains the site's sources; choose a folder such as `site/`"));
    }
    for src in ["content", "themes", "templates", "static"] {
        if out_abs.starts_with(root_abs.join(src)) {
            return Err(format!("refusing to write the site to `{shown}`: it is inside the site's `{src}/` folder; choose a folder such as `site/`"));
        }
    }
    match std::fs::read_dir(&out_abs) {
        Ok(mut entries) => {
            let empty = entries.next().is_none();
            if !empty && !out_abs.join(MARKER).is_file() {
                return Err(format!("refusing to replace `{shown}`: it is not empty and was not written by Scholia (no {MARKER} file); delete it yourself or choose another folder with --out"));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory || out_abs.is_file() => Err(
            format!("refusing to write the site to `{shown}`: it is a file, not a folder"),
        ),
        Err(e) => Err(format!("cannot use `{shown}` as the output folder: {e}")),
    }
}

/// Whether the file at `path` exists and `same` accepts its first [`PREFIX`] bytes.
pub fn starts_as(path: &Path, same: &dyn Fn(&[u8]) -> bool) -> bool {
    use std::io::Read;
    let mut prefix = Vec::with_capacity(PREFIX);
    let read =
        std::fs::File::open(path).and_then(|f| f.take(PREFIX as u64).read_to_end(&mut prefix));
    read.is_ok() && same(&prefix)
}

/// The files under `dir` (paths relative to it, forward slashes), found without reading them.
pub fn listing(dir: &Path) -> std::collections::HashSet<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy();
            if cfg!(windows) {
                rel.replace('\\', "/")
            } else {
                rel.into_owned()
            }
        })
        .collect()
}

impl Staging {
    /// Checks the target with [`guard`] and creates the temporary sibling folder.
    pub fn begin(out: &Path, root: &Path) -> Result<Staging, Diagnostic> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        guard(out, root, home.as_deref()).map_err(|m| Diagnostic::global(codes::OUTPUT, m))?;
        let target = absolute(out);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
        let tmp = parent.join(format!(".{name}.scholia-tmp-{}", std::process::id()));
        let io = |e: std::io::Error| {
            Diagnostic::global(
                codes::IO,
                format!("cannot create the output next to `{}`: {e}", out.display()),
            )
        };
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io)?;
        }
        std::fs::create_dir_all(&tmp).map_err(io)?;
        Ok(Staging { tmp, target })
    }

    /// Writes one file at `rel` (forward slashes, no leading `/`).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.tmp.join(rel);
        let io =
            |e: std::io::Error| Diagnostic::global(codes::IO, format!("cannot write {rel}: {e}"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)
    }

    /// Takes the previous output's `rel` into the new one when `same` accepts its first
    /// [`PREFIX`] bytes ([`starts_as`]): a hard link (the old folder is removed after the swap, the file
    /// stays), or a copy where links are refused. This is what lets a build skip the link
    /// cards it drew before, until a persistent cache exists. Whether it was taken.
    pub fn reuse(&self, rel: &str, same: &dyn Fn(&[u8]) -> bool) -> bool {
        self.reuse_from(rel, rel, same)
    }

    /// [`Staging::reuse`] of the previous output's `from` as this one's `rel` (a file whose
    /// name moved).
    pub fn reuse_from(&self, from: &str, rel: &str, same: &dyn Fn(&[u8]) -> bool) -> bool {
        let old = self.target.join(from);
        if !starts_as(&old, same) {
            return false;
        }
        let new = self.tmp.join(rel);
        if let Some(parent) = new.parent() {
            if std::fs::create_dir_all(parent).is_err() {
                return false;
            }
        }
        // A file of an earlier reuse there (asked twice) is replaced.
        let _ = std::fs::remove_file(&new);
        std::fs::hard_link(&old, &new).is_ok() || std::fs::copy(&old, &new).is_ok()
    }

    /// Swaps the finished folder in place of the old output.
    pub fn commit(self) -> Result<(), Diagnostic> {
        self.write(MARKER, MARKER_TEXT.as_bytes())?;
        let io = |what: &str, e: std::io::Error| {
            Diagnostic::global(
                codes::IO,
                format!("cannot {what} `{}`: {e}", self.target.display()),
            )
        };
        let old = self.tmp.with_file_name(format!(
            ".{}.scholia-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(|e| io("move aside", e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&self.tmp);
            return Err(io("replace", e));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }

    /// The files of the output as it is (forward slashes), found without reading them.
    pub fn existing(&self) -> std::collections::HashSet<String> {
        listing(&self.target)
    }

    /// Moves the files of the finished folder into the old output, over its files, and
    /// removes the files of `existing` (the output's, from [`Staging::existing`]) that `keep`
    /// does not name (those this build did not make: the files it took as they were are
    /// named too). For a build that wrote only what changed. While the files move, the
    /// marker says so: a build that finds it so (this one was stopped) takes nothing from
    /// the output.
    pub fn commit_in_place(
        self,
        existing: &std::collections::HashSet<String>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<(), Diagnostic> {
        let io = |what: &str, e: std::io::Error| {
            Diagnostic::global(
                codes::IO,
                format!("cannot {what} in `{}`: {e}", self.target.display()),
            )
        };
        std::fs::write(self.target.join(MARKER), MARKER_MOVING)
            .map_err(|e| io("write the marker", e))?;
        let new: Vec<PathBuf> = walkdir::WalkDir::new(&self.tmp)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(&self.tmp)
                    .unwrap_or(e.path())
                    .to_path_buf()
            })
            .collect();
        for rel in &new {
            let to = self.target.join(rel);
            // A folder where a file goes, or a file where a folder goes, is the old shape.
            if to.is_dir() {
                std::fs::remove_dir_all(&to).map_err(|e| io("replace a folder", e))?;
            }
            for a in rel
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
            {
                let dir = self.target.join(a);
                if dir.is_file() {
                    std::fs::remove_file(&dir).map_err(|e| io("replace a file", e))?;
                }
            }
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io("create a folder", e))?;
            }
            std::fs::rename(self.tmp.join(rel), &to).map_err(|e| io("move a file", e))?;
        }
        // What the build did not make goes, and the folders it leaves empty.
        let mut dirs = std::collections::BTreeSet::new();
        for rel in existing {
            if rel == MARKER || keep(rel) {
                continue;
            }
            let path = self.target.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                // Gone already with its folder, which a new file replaced, or replaced by a
                // folder of new files.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                    ) || path.is_dir() => {}
                Err(e) => return Err(io("remove an old file", e)),
            }
            dirs.extend(
                Path::new(rel)
                    .ancestors()
                    .skip(1)
                    .filter(|a| !a.as_os_str().is_empty())
                    .map(Path::to_path_buf),
            );
        }
        // Deepest first; fails, as it should, for a folder that still holds a file.
        for d in dirs.iter().rev() {
            let _ = std::fs::remove_dir(self.target.join(d));
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
        std::fs::write(self.target.join(MARKER), MARKER_TEXT).map_err(|e| io("write the marker", e))
    }

    /// Whether `out` is an output whose files can be kept where they are: a build's whose
    /// last build finished.
    pub fn finished(out: &Path) -> bool {
        std::fs::read_to_string(out.join(MARKER)).is_ok_and(|m| m == MARKER_TEXT)
    }

    /// Throws the unfinished folder away; the old output is untouched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_in_place_moves_the_new_files_in_and_removes_what_was_not_made() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path().join("root"), dir.path().join("site"));
        std::fs::create_dir_all(&root).unwrap();
        let put = |rel: &str, text: &str| {
            let p = out.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        put(MARKER, MARKER_TEXT);
        put("x/1.html", "old folder");
        put("kept.html", "kept");
        put("gone/old.html", "gone");
        put("y", "a file where a folder goes");
        assert!(Staging::finished(&out));
        let s = Staging::begin(&out, &root).unwrap();
        s.write("x", b"now a file").unwrap();
        s.write("y/2.html", b"in a folder").unwrap();
        s.write("kept2.html", b"new").unwrap();
        let keep = |rel: &str| ["kept.html", "x", "y/2.html", "kept2.html"].contains(&rel);
        let existing = s.existing();
        s.commit_in_place(&existing, &keep).unwrap();
        let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
        assert_eq!(read("x"), "now a file");
        assert_eq!(read("y/2.html"), "in a folder");
        assert_eq!(read("kept.html"), "kept");
        assert_eq!(read("kept2.html"), "new");
        assert!(!out.join("gone").exists(), "an emptied folder goes too");
        assert_eq!(read(MARKER), MARKER_TEXT);
        assert!(Staging::finished(&out));
        // No staging folder left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        // A build stopped while moving its files leaves an output nothing is taken from.
        put(MARKER, MARKER_MOVING);
        assert!(!Staging::finished(&out));
    }

    #[test]
    fn refuses_root_home_and_sources() {
        let root = Path::new("/srv/site");
        assert!(guard(Path::new("/"), root, None)
            .unwrap_err()
            .contains("root of the file system"));
        let home = Path::new("/home/ed");
        assert!(guard(home, Path::new("/home/ed/site"), Some(home))
            .unwrap_err()
            .contains("home folder"));
        assert!(guard(Path::new("/srv/site"), root, None)
            .unwrap_err()
            .contains("sources"));
        assert!(guard(Path::new("/srv"), root, None)
            .unwrap_err()
            .contains("sources"));
        assert!(guard(Path::new("/srv/site/content/out"), root, None)
            .unwrap_err()
            .contains("`content/`"));
        assert!(
            guard(Path::new("/srv/site/./content/../content"), root, None)
                .unwrap_err()
                .contains("`content/`")
        );
    }

    #[test]
    fn refuses_foreign_non_empty_folders_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let out = dir.path().join("out");
        assert!(guard(&out, &root, None).is_ok(), "a new folder is fine");
        std::fs::create_dir(&out).unwrap();
        assert!(guard(&out, &root, None).is_ok(), "an empty folder is fine");
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(guard(&out, &root, None)
            .unwrap_err()
            .contains("not written by Scholia"));
        std::fs::write(out.join(MARKER), "").unwrap();
        assert!(
            guard(&out, &root, None).is_ok(),
            "a previous output may be replaced"
        );
    }
}
