//! Where a pipeline's files go: one small trait, so the page loop is the same for every
//! destination.
//!
//! - [`StagingSink`] (`build`, `check`): every file is wanted and written at once into a
//!   staging folder, which is swapped in place of the output only if the run succeeded; or,
//!   for a build with the cache ([`StagingSink::in_place`]), a file whose key did not change
//!   is left where it is, and the staging folder's files are moved in.
//! - [`LiveSink`] (`serve`, and the equivalence tests in memory): a file is wanted only when
//!   its key differs from the key of the file already there; a run's files are applied
//!   together when it succeeded (a failed run leaves the last good site served), and files
//!   the run no longer produces are removed.

use super::write::{self, Staging};
use crate::codes;
use crate::error::Diagnostic;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A destination for the files of a run. Shared by the parallel page loop.
pub trait Sink: Sync {
    /// Why this output may not be written, checked before any work so that the error comes
    /// with the others.
    fn check(&self) -> Option<Diagnostic> {
        None
    }

    /// Called once the run is known to write (no error so far).
    fn begin(&mut self) -> Result<(), Diagnostic>;

    /// Whether the file at `rel` (forward slashes), whose content has `key`, must be made.
    /// Also records that this run produces `rel`.
    fn wants(&self, rel: &str, key: Option<u64>) -> bool;

    /// Whether an earlier output has `rel` as this run would make it (with `key`), which
    /// `same` tells from the file's first [`write::PREFIX`] bytes (a file that records what it
    /// was made from, as a link card does); if so, the file is this run's without being made
    /// again. Asked only about a file the output [`Sink::wants`]: a build's output starts
    /// empty and looks in the output it replaces; a live one, in the folder it was seeded
    /// with ([`LiveSink::seeded`]).
    fn reuse(&self, _rel: &str, _key: u64, _same: &dyn Fn(&[u8]) -> bool) -> bool {
        false
    }

    /// Whether an earlier output has a keyed file with `key` under another name, which is
    /// taken as this run's `rel` (a search document whose number moved). Asked only about a
    /// file the output [`Sink::wants`].
    fn reuse_moved(&self, _rel: &str, _key: u64) -> bool {
        false
    }

    /// Takes one file (the run has begun).
    fn put(&self, rel: &str, key: Option<u64>, bytes: Vec<u8>) -> Result<(), Diagnostic>;

    /// Ends the run: keeps its files when `ok`, throws them away otherwise. Files from
    /// earlier runs that this one did not produce are removed, unless `spare` keeps them.
    fn finish(&mut self, ok: bool, spare: &dyn Fn(&str) -> bool) -> Result<Changes, Diagnostic>;
}

/// What a run changed in a kept output.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Files written, sorted.
    pub written: Vec<String>,
    /// Files removed, sorted.
    pub removed: Vec<String>,
}

/// The keys of the keyed files of a full build (its PDFs and link cards), in the output
/// beside the marker: the next build takes a file whose key has not changed from the output
/// it replaces (a hard link) instead of making it again.
pub const KEYS: &str = ".scholia-keys";

/// A full build's output: a staging folder swapped in at the end.
pub struct StagingSink {
    out: PathBuf,
    root: PathBuf,
    /// Whether to write at all (`check` without a folder writes nothing).
    staging: Option<Staging>,
    /// The keyed files of the previous build in `out` (read once, when first asked).
    previous: std::sync::OnceLock<HashMap<String, u64>>,
    /// The same by key (made once, when first asked).
    by_key: std::sync::OnceLock<HashMap<u64, String>>,
    /// The keyed files of this build.
    keys: Mutex<BTreeMap<String, u64>>,
    /// Asked to keep unchanged files where they are ([`StagingSink::in_place`]).
    in_place: bool,
    /// Whether it does: the previous output is a finished build's, with keys.
    keeping: bool,
    /// Its files, when it does.
    existing: HashSet<String>,
    /// The same, being listed while the build reads its content.
    listing: Option<std::thread::JoinHandle<HashSet<String>>>,
    /// The files this build wrote (kept when the output is updated in place).
    written: Mutex<HashSet<String>>,
}

impl StagingSink {
    /// Output to `out` for the site at `root`.
    pub fn new(out: &Path, root: &Path) -> StagingSink {
        StagingSink {
            out: out.to_path_buf(),
            root: root.to_path_buf(),
            staging: None,
            previous: Default::default(),
            by_key: Default::default(),
            keys: Default::default(),
            in_place: false,
            keeping: false,
            existing: HashSet::new(),
            listing: None,
            written: Default::default(),
        }
    }

    /// Updates the previous output in place when the build succeeded: its files whose key
    /// did not change stay where they are (no copy, no link), the new and changed ones are
    /// moved in, and those the build did not make are removed. For a build that keys all its
    /// files (with the build cache), where most files do not change; otherwise the output is
    /// swapped whole. The staging folder holds only what changed.
    pub fn in_place(mut self) -> StagingSink {
        self.in_place = true;
        // Listing a large output takes a tenth of a second, and the build needs the list
        // only once it writes: it is made meanwhile, on a thread of its own, for an output
        // that is a finished build's (another folder is not walked: `check` may refuse it).
        if Staging::finished(&self.out) && self.out.join(KEYS).is_file() {
            let out = write::absolute(&self.out);
            self.listing = std::thread::Builder::new()
                .name("output listing".into())
                .spawn(move || write::listing(&out))
                .ok();
        }
        self
    }

    fn previous(&self) -> &HashMap<String, u64> {
        self.previous.get_or_init(|| {
            let text = std::fs::read_to_string(self.out.join(KEYS)).unwrap_or_default();
            text.lines()
                .filter_map(|l| {
                    let (k, path) = l.split_once(' ')?;
                    Some((path.to_string(), u64::from_str_radix(k, 16).ok()?))
                })
                .collect()
        })
    }

    /// Copies the previous build's file at `rel` into this one when its key is `key`.
    fn reuse(&self, rel: &str, key: u64) -> bool {
        let previous = self.previous();
        let Some(s) = &self.staging else {
            return false;
        };
        if previous.get(rel) != Some(&key) {
            return false;
        }
        if self.keeping {
            // Where it is: there, unless someone removed it.
            let there = self.existing.contains(rel);
            if there {
                self.record(rel, key);
            }
            return there;
        }
        // Asked again about a file already taken (a cached commentary rendered after all).
        if self.keys.lock().unwrap_or_else(|p| p.into_inner()).get(rel) == Some(&key) {
            return true;
        }
        let taken = s.reuse(rel, &|_| true);
        if taken {
            self.record(rel, key);
        }
        taken
    }

    /// Notes that the staging folder holds this build's `rel`.
    fn made(&self, rel: &str, key: Option<u64>) {
        if let Some(k) = key {
            self.record(rel, k);
        }
        if self.keeping {
            self.written
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(rel.to_string());
        }
    }

    fn record(&self, rel: &str, key: u64) {
        self.keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel.to_string(), key);
    }
}

impl Sink for StagingSink {
    fn check(&self) -> Option<Diagnostic> {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        write::guard(&self.out, &self.root, home.as_deref())
            .err()
            .map(|m| Diagnostic::global(codes::OUTPUT, m))
    }

    fn begin(&mut self) -> Result<(), Diagnostic> {
        let s = Staging::begin(&self.out, &self.root)?;
        self.keeping = self.in_place && Staging::finished(&self.out) && !self.previous().is_empty();
        let listing = self.listing.take().and_then(|l| l.join().ok());
        if self.keeping {
            self.existing = listing.unwrap_or_else(|| s.existing());
        }
        self.staging = Some(s);
        Ok(())
    }

    /// Every file, except a keyed one (a PDF) that the previous build made with the same
    /// key: that one is copied from it.
    fn wants(&self, rel: &str, key: Option<u64>) -> bool {
        key.is_none_or(|k| !self.reuse(rel, k))
    }

    fn reuse_moved(&self, rel: &str, key: u64) -> bool {
        let Some(s) = &self.staging else {
            return false;
        };
        let by_key = self.by_key.get_or_init(|| {
            self.previous()
                .iter()
                .map(|(rel, key)| (*key, rel.clone()))
                .collect()
        });
        let Some(from) = by_key.get(&key) else {
            return false;
        };
        if self.keeping && !self.existing.contains(from) {
            return false;
        }
        let taken = s.reuse_from(from, rel, &|_| true);
        if taken {
            self.made(rel, Some(key));
        }
        taken
    }

    fn reuse(&self, rel: &str, key: u64, same: &dyn Fn(&[u8]) -> bool) -> bool {
        if self.keeping {
            let kept = write::starts_as(&self.out.join(rel), same);
            if kept {
                self.record(rel, key);
            }
            return kept;
        }
        self.staging.as_ref().is_some_and(|s| s.reuse(rel, same))
    }

    fn put(&self, rel: &str, key: Option<u64>, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.made(rel, key);
        match &self.staging {
            Some(s) => s.write(rel, &bytes),
            None => Ok(()),
        }
    }

    fn finish(&mut self, ok: bool, _: &dyn Fn(&str) -> bool) -> Result<Changes, Diagnostic> {
        match self.staging.take() {
            Some(s) if ok => {
                let keys =
                    std::mem::take(&mut *self.keys.lock().unwrap_or_else(|p| p.into_inner()));
                if !keys.is_empty() {
                    let text: String = keys
                        .iter()
                        .map(|(p, k)| format!("{k:016x} {p}\n"))
                        .collect();
                    s.write(KEYS, text.as_bytes())?;
                }
                if self.keeping {
                    let written = std::mem::take(
                        &mut *self.written.lock().unwrap_or_else(|p| p.into_inner()),
                    );
                    let keep =
                        |rel: &str| rel == KEYS || keys.contains_key(rel) || written.contains(rel);
                    let existing = std::mem::take(&mut self.existing);
                    return s
                        .commit_in_place(&existing, &keep)
                        .map(|()| Changes::default());
                }
                s.commit().map(|()| Changes::default())
            }
            Some(s) => {
                s.abort();
                Ok(Changes::default())
            }
            None => Ok(Changes::default()),
        }
    }
}

/// Where a [`LiveSink`] keeps its files.
pub trait Store: Send + Sync {
    /// Writes (replaces) one file.
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Removes one file.
    fn remove(&self, rel: &str);
}

/// A folder served as it is updated: files are written through a temporary name, so a reader
/// never sees half a page, and folders left empty by a removal are removed.
pub struct Dir(pub PathBuf);

impl Store for Dir {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.0.join(rel);
        let tmp = self.0.join(format!("{rel}.scholia-part"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    }

    fn remove(&self, rel: &str) {
        let path = self.0.join(rel);
        let _ = std::fs::remove_file(&path);
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.0 || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

/// The keys of a [`LiveSink`]'s files in a text file beside its folder, so that the next
/// session takes the files as they are ([`LiveSink::resumed`]). One line per file (`+ KEY
/// PATH`, or `- PATH` when it was removed); each run's changes are appended between a `*`
/// line, written before the first file changes, and a `=` line, written after the last: a
/// session stopped in between leaves a batch without its end, and then no key is believed
/// (a file may hold bytes its line does not describe).
struct Journal {
    path: PathBuf,
    file: std::fs::File,
}

/// The journal's first line: another one is not read.
const JOURNAL_HEADER: &str = "scholia-serve-keys 1\n";

impl Journal {
    /// The keys a journal's text records, with its number of lines; `None` when it is
    /// another kind of file or its last batch did not end.
    fn read(text: &str) -> Option<(rustc_hash::FxHashMap<String, u64>, usize)> {
        let body = text.strip_prefix(JOURNAL_HEADER)?;
        let mut keys = rustc_hash::FxHashMap::default();
        let mut open = false;
        let mut lines = 0;
        for line in body.lines() {
            lines += 1;
            match line.split_once(' ') {
                _ if line == "*" => open = true,
                _ if line == "=" => open = false,
                Some(("+", rest)) => {
                    let (k, rel) = rest.split_once(' ')?;
                    keys.insert(rel.to_string(), u64::from_str_radix(k, 16).ok()?);
                }
                Some(("-", rel)) => {
                    keys.remove(rel);
                }
                _ => return None,
            }
        }
        // A text cut short ends without its last line's newline.
        (!open && (body.is_empty() || body.ends_with('\n'))).then_some((keys, lines))
    }

    /// A journal that records `keys` (through a temporary file: the old one holds until
    /// the new one is whole).
    fn create(path: &Path, keys: &rustc_hash::FxHashMap<String, u64>) -> std::io::Result<Journal> {
        use std::fmt::Write as _;
        let mut text = String::from(JOURNAL_HEADER);
        let mut sorted: Vec<(&String, &u64)> = keys.iter().collect();
        sorted.sort();
        for (rel, k) in sorted {
            let _ = writeln!(text, "+ {k:016x} {rel}");
        }
        let tmp = path.with_extension("part");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)?;
        Journal::append(path)
    }

    /// The journal at `path`, to go on appending to.
    fn append(path: &Path) -> std::io::Result<Journal> {
        let file = std::fs::OpenOptions::new().append(true).open(path)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    fn begin(&mut self) -> std::io::Result<()> {
        use std::io::Write as _;
        self.file.write_all(b"*\n")
    }

    fn end(
        &mut self,
        changes: &Changes,
        keys: &rustc_hash::FxHashMap<String, u64>,
    ) -> std::io::Result<()> {
        use std::fmt::Write as _;
        use std::io::Write as _;
        let mut text = String::new();
        for rel in &changes.written {
            if let Some(k) = keys.get(rel) {
                let _ = writeln!(text, "+ {k:016x} {rel}");
            }
        }
        for rel in &changes.removed {
            let _ = writeln!(text, "- {rel}");
        }
        text.push_str("=\n");
        self.file.write_all(text.as_bytes())
    }

    /// Removes a journal that could not be kept up to date: the next session starts afresh.
    fn forget(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Files in memory, for tests.
#[derive(Default)]
pub struct Memory(pub Mutex<BTreeMap<String, Vec<u8>>>);

impl Store for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        lock(&self.0).insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }

    fn remove(&self, rel: &str) {
        lock(&self.0).remove(rel);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An output kept between runs, written only where a file's key changed.
pub struct LiveSink<S: Store> {
    store: S,
    /// Key of every file in the store.
    written: rustc_hash::FxHashMap<String, u64>,
    /// Files this run produces (a list: cheaper to share between threads than a set).
    /// By a fingerprint of their path: `serve` asks about every file on every save, and a
    /// string per file (55,000 on 10,000 commentaries), then a set of them, was a sixth of
    /// a save's time. Two paths sharing a 64-bit fingerprint would keep a stale file.
    produced: Mutex<Vec<u64>>,
    /// Files this run made, applied by `finish`.
    pending: Mutex<Vec<(String, u64, Vec<u8>)>>,
    /// Whether this run writes its files as they come: its first, into an empty store,
    /// when there is no last good site to keep serving (holding a large site's every page
    /// until the end, then writing them one by one, made `serve`'s first run slower than a
    /// build). A failed run removes them.
    direct: bool,
    /// The files written so, with their keys.
    made: Mutex<Vec<(String, u64)>>,
    /// A folder of earlier output whose files [`Sink::reuse`] may take (`serve`: the site's
    /// last build, so that its first run does not draw every link card again).
    seed: Option<PathBuf>,
    /// Where the keys of the store's files are kept for the next session ([`Journal`]).
    journal: Option<Journal>,
}

impl<S: Store> LiveSink<S> {
    /// An empty output in `store`.
    pub fn new(store: S) -> LiveSink<S> {
        LiveSink {
            store,
            written: Default::default(),
            produced: Mutex::default(),
            pending: Mutex::default(),
            direct: false,
            made: Mutex::default(),
            seed: None,
            journal: None,
        }
    }

    /// The same, taking files that [`Sink::reuse`] accepts from `seed` when it has them.
    pub fn seeded(store: S, seed: &Path) -> LiveSink<S> {
        LiveSink {
            seed: Some(seed.to_path_buf()),
            ..LiveSink::new(store)
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Writes files made outside a run (the search index, made later on another thread):
    /// those whose key changed. Files `owned` selects that are not among them are removed.
    pub fn apply(
        &mut self,
        files: Vec<(String, Vec<u8>)>,
        owned: impl Fn(&str) -> bool,
        keep: &HashSet<String>,
    ) -> (Changes, Vec<Diagnostic>) {
        let mut changes = Changes::default();
        let mut diags = Vec::new();
        let mut named = HashSet::new();
        self.journal_begin();
        for (rel, bytes) in files {
            let key = super::ctx::fp(&bytes);
            named.insert(rel.clone());
            if self.written.get(&rel) != Some(&key) {
                self.write_one(rel, key, &bytes, &mut changes, &mut diags);
            }
        }
        self.remove_where(
            |rel| owned(rel) && !named.contains(rel) && !keep.contains(rel),
            &mut changes,
        );
        self.journal_end(&changes);
        changes.written.sort();
        changes.removed.sort();
        (changes, diags)
    }

    /// Takes one file of this run: written now when the run writes as it goes, else kept
    /// for `finish`.
    fn take(&self, rel: &str, key: u64, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        if !self.direct {
            lock(&self.pending).push((rel.to_string(), key, bytes));
            return Ok(());
        }
        self.store
            .write(rel, &bytes)
            .map_err(|e| Diagnostic::global(codes::IO, format!("cannot write {rel}: {e}")))?;
        lock(&self.made).push((rel.to_string(), key));
        Ok(())
    }

    /// Notes in the journal that the store is about to change.
    fn journal_begin(&mut self) {
        if self.journal.as_mut().is_some_and(|j| j.begin().is_err()) {
            self.forget_journal();
        }
    }

    /// A journal that could not be kept up to date goes: the next session starts afresh.
    fn forget_journal(&mut self) {
        if let Some(j) = self.journal.take() {
            j.forget();
        }
    }

    /// Notes in the journal what the store's files now are, the change ended.
    fn journal_end(&mut self, changes: &Changes) {
        let written = &self.written;
        if self
            .journal
            .as_mut()
            .is_some_and(|j| j.end(changes, written).is_err())
        {
            self.forget_journal();
        }
    }

    fn write_one(
        &mut self,
        rel: String,
        key: u64,
        bytes: &[u8],
        changes: &mut Changes,
        diags: &mut Vec<Diagnostic>,
    ) {
        match self.store.write(&rel, bytes) {
            Ok(()) => {
                self.written.insert(rel.clone(), key);
                changes.written.push(rel);
            }
            Err(e) => {
                self.written.remove(&rel);
                diags.push(Diagnostic::global(
                    codes::IO,
                    format!("cannot write {rel}: {e}"),
                ));
            }
        }
    }

    fn remove_where(&mut self, stale: impl Fn(&str) -> bool, changes: &mut Changes) {
        let gone: Vec<String> = self.written.keys().filter(|k| stale(k)).cloned().collect();
        for rel in gone {
            self.written.remove(&rel);
            self.store.remove(&rel);
            changes.removed.push(rel);
        }
    }
}

impl LiveSink<Dir> {
    /// The output a previous session left in `store`, whose files' keys `journal` records:
    /// a file whose key is the one this run would make is taken as it is (`serve` on a
    /// large site starts in a second instead of writing every page again). What the journal
    /// does not vouch for is removed: files it does not name, and everything when a session
    /// stopped in the middle of a change (its last batch has no end) or the journal is not
    /// one this binary reads. Then the journal is written again, whole, and kept up to date
    /// by every run. `None` when the journal cannot be written (the caller starts afresh).
    pub fn resumed(store: Dir, journal: &Path, seed: &Path) -> Option<LiveSink<Dir>> {
        // Listing 55,000 files takes as long as reading their keys: side by side.
        let dir = store.0.clone();
        let listing = std::thread::Builder::new()
            .name("preview listing".into())
            .spawn(move || write::listing(&dir));
        let old = std::fs::read_to_string(journal)
            .ok()
            .and_then(|text| Journal::read(&text));
        let there = listing.ok().and_then(|l| l.join().ok());
        let mut written: rustc_hash::FxHashMap<String, u64> = Default::default();
        let compact = match (old, there) {
            (Some((mut keys, lines)), Some(there)) => {
                for rel in there {
                    match keys.remove(&rel) {
                        Some(k) => {
                            written.insert(rel, k);
                        }
                        None => store.remove(&rel),
                    }
                }
                // Written again once mostly history, not at every start (5 MB at 10,000
                // commentaries); a file it names that is gone is left out of `written`,
                // here and at every start, which is as true.
                lines > 2 * written.len() + 1024
            }
            _ => {
                let _ = std::fs::remove_dir_all(&store.0);
                true
            }
        };
        std::fs::create_dir_all(&store.0).ok()?;
        let journal = match compact {
            true => Journal::create(journal, &written),
            false => Journal::append(journal),
        }
        .ok()?;
        Some(LiveSink {
            written,
            seed: Some(seed.to_path_buf()),
            journal: Some(journal),
            ..LiveSink::new(store)
        })
    }
}

impl<S: Store> Sink for LiveSink<S> {
    fn begin(&mut self) -> Result<(), Diagnostic> {
        self.direct = self.written.is_empty();
        if self.direct {
            self.journal_begin();
        }
        Ok(())
    }

    fn wants(&self, rel: &str, key: Option<u64>) -> bool {
        lock(&self.produced).push(super::ctx::fp(rel));
        key.is_none() || self.written.get(rel) != key.as_ref()
    }

    fn reuse(&self, rel: &str, key: u64, same: &dyn Fn(&[u8]) -> bool) -> bool {
        let Some(seed) = &self.seed else {
            return false;
        };
        match std::fs::read(seed.join(rel)) {
            Ok(bytes) if same(&bytes[..bytes.len().min(write::PREFIX)]) => {
                self.take(rel, key, bytes).is_ok()
            }
            _ => false,
        }
    }

    fn put(&self, rel: &str, key: Option<u64>, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let key = key.unwrap_or_else(|| super::ctx::fp(&bytes));
        self.take(rel, key, bytes)
    }

    fn finish(&mut self, ok: bool, spare: &dyn Fn(&str) -> bool) -> Result<Changes, Diagnostic> {
        let pending = std::mem::take(&mut *lock(&self.pending));
        let produced: rustc_hash::FxHashSet<u64> = std::mem::take(&mut *lock(&self.produced))
            .into_iter()
            .collect();
        let made = std::mem::take(&mut *lock(&self.made));
        let direct = std::mem::take(&mut self.direct);
        let mut changes = Changes::default();
        if !ok {
            for (rel, _) in &made {
                self.store.remove(rel);
            }
            if direct {
                self.journal_end(&changes);
            }
            return Ok(changes);
        }
        let mut diags = Vec::new();
        if !direct {
            self.journal_begin();
        }
        for (rel, key) in made {
            self.written.insert(rel.clone(), key);
            changes.written.push(rel);
        }
        for (rel, key, bytes) in pending {
            self.write_one(rel, key, &bytes, &mut changes, &mut diags);
        }
        self.remove_where(
            |rel| !produced.contains(&super::ctx::fp(rel)) && !spare(rel),
            &mut changes,
        );
        self.journal_end(&changes);
        changes.written.sort();
        changes.removed.sort();
        match diags.into_iter().next() {
            Some(d) => Err(d),
            None => Ok(changes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(sink: &LiveSink<Memory>) -> Vec<(String, Vec<u8>)> {
        lock(&sink.store().0).clone().into_iter().collect()
    }

    fn put<S: Store>(sink: &LiveSink<S>, rel: &str, key: u64, text: &str) -> bool {
        let wanted = sink.wants(rel, Some(key));
        if wanted {
            sink.put(rel, Some(key), text.as_bytes().to_vec()).unwrap();
        }
        wanted
    }

    #[test]
    fn a_live_output_writes_changed_keys_and_removes_what_a_run_no_longer_makes() {
        let mut sink = LiveSink::new(Memory::default());
        assert!(put(&sink, "a.html", 1, "a"));
        assert!(put(&sink, "b.html", 2, "b"));
        let c = sink.finish(true, &|_| false).unwrap();
        assert_eq!(c.written, ["a.html", "b.html"]);

        // Same key: not wanted, kept. New key: written. Not produced: removed.
        assert!(!put(&sink, "a.html", 1, "ignored"));
        assert!(put(&sink, "c.html", 3, "c"));
        let c = sink.finish(true, &|_| false).unwrap();
        assert_eq!(
            (c.written, c.removed),
            (vec!["c.html".into()], vec!["b.html".into()])
        );
        assert_eq!(
            files(&sink),
            [
                ("a.html".into(), b"a".to_vec()),
                ("c.html".into(), b"c".to_vec())
            ]
        );
    }

    #[test]
    fn a_seeded_output_takes_the_files_its_seed_has_as_this_run_would_make_them() {
        let seed = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(seed.path().join("a")).unwrap();
        std::fs::write(seed.path().join("a/card.png"), b"made from 7").unwrap();
        let mut sink = LiveSink::seeded(Memory::default(), seed.path());
        let from = |k: &'static str| move |p: &[u8]| p.ends_with(k.as_bytes());
        assert!(sink.wants("a/card.png", Some(7)));
        assert!(sink.reuse("a/card.png", 7, &from("7")));
        assert!(!sink.reuse("a/card.png", 8, &from("8")), "another key");
        assert!(!sink.reuse("b/card.png", 7, &from("7")), "not in the seed");
        let c = sink.finish(true, &|_| false).unwrap();
        assert_eq!(c.written, ["a/card.png"]);
        assert_eq!(
            files(&sink),
            [("a/card.png".into(), b"made from 7".to_vec())]
        );
        // Kept under its key: the next run does not want it again.
        assert!(!sink.wants("a/card.png", Some(7)));
        assert!(!LiveSink::new(Memory::default()).reuse("a/card.png", 7, &from("7")));
    }

    #[test]
    fn a_resumed_output_believes_its_journal_only_for_whole_batches_and_files_there() {
        let dir = tempfile::tempdir().unwrap();
        let (out, journal, seed) = (
            dir.path().join("site"),
            dir.path().join("site.keys"),
            dir.path().join("seed"),
        );
        let open = || LiveSink::resumed(Dir(out.clone()), &journal, &seed).unwrap();
        let mut sink = open();
        assert!(put(&sink, "a.html", 1, "a"));
        assert!(put(&sink, "b/c.html", 2, "c"));
        sink.finish(true, &|_| false).unwrap();
        assert!(!put(&sink, "a.html", 1, "a"));
        assert!(put(&sink, "d.html", 4, "d"));
        sink.finish(true, &|_| false).unwrap();
        drop(sink);

        // A new session: what the last one left is taken as it is.
        let mut sink = open();
        assert!(!sink.wants("a.html", Some(1)));
        assert!(!sink.wants("d.html", Some(4)));
        assert!(sink.wants("b/c.html", Some(3)), "another key");
        sink.finish(true, &|_| false).unwrap();
        assert!(!out.join("b").exists(), "removed with its folder");
        drop(sink);

        // A file the journal does not name is removed; one it names that is gone is made.
        std::fs::write(out.join("stray.html"), "?").unwrap();
        std::fs::remove_file(out.join("d.html")).unwrap();
        let sink = open();
        assert!(!out.join("stray.html").exists());
        assert!(sink.wants("d.html", Some(4)));
        assert!(!sink.wants("a.html", Some(1)));
        drop(sink);

        // A batch without its end (a session stopped while it wrote): nothing is believed.
        let text = std::fs::read_to_string(&journal).unwrap();
        assert!(
            text.lines().any(|l| l == "+ 0000000000000001 a.html"),
            "{text}"
        );
        std::fs::write(&journal, format!("{text}*\n+ 0000000000000009 a.html\n")).unwrap();
        let sink = open();
        assert!(sink.wants("a.html", Some(1)));
        assert!(!out.join("a.html").exists(), "the folder is emptied");
        drop(sink);

        // Cut in the middle of a line, or another kind of file: the same.
        for bad in [
            "scholia-serve-keys 1\n+ 00000000000",
            "scholia-serve-keys 2\n",
            "",
        ] {
            let mut sink = open();
            put(&sink, "a.html", 1, "a");
            sink.finish(true, &|_| false).unwrap();
            drop(sink);
            std::fs::write(&journal, bad).unwrap();
            assert!(open().wants("a.html", Some(1)), "{bad:?}");
        }
    }

    #[test]
    fn a_failed_run_changes_nothing_and_spared_files_stay() {
        let mut sink = LiveSink::new(Memory::default());
        put(&sink, "a.html", 1, "a");
        put(&sink, "search/t/0.json.gz", 9, "index");
        sink.finish(true, &|_| false).unwrap();
        let before = files(&sink);
        put(&sink, "a.html", 2, "changed");
        let c = sink.finish(false, &|_| false).unwrap();
        assert!(c.written.is_empty() && c.removed.is_empty());
        assert_eq!(
            files(&sink),
            before,
            "a failed run leaves the output as it was"
        );
        // The next run does not make the index (it comes later): spared, not removed.
        put(&sink, "a.html", 1, "a");
        let c = sink
            .finish(true, &|rel| rel.starts_with("search/"))
            .unwrap();
        assert!(c.removed.is_empty(), "{:?}", c.removed);
    }
}
