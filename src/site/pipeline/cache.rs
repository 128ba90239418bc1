//! The build cache: what each commentary's render produced, kept between builds in
//! `.scholia-cache/` under the site root, so that a build after a small edit renders only
//! what the edit reaches.
//!
//! A record is found by a key over everything a commentary's render reads: its file, and
//! the "world" of its language (this binary, the configuration, the bibliography, the
//! theme and its text, the language's glossary, the PDF setup and fonts, the build's
//! options). Any change to the world misses every record of the language; a change to one
//! file misses its record only. A record holds what lists, backlinks, feeds, the search
//! index and the page keys need, not the page (a body only for the newest few, which the
//! feed shows): an article found here whose page, citation files, search document or PDF
//! the output does not already hold as this run would make them (by key, `Sink::wants`,
//! and a search document under another number, `Sink::reuse_moved`: the previous output's
//! files are taken by hard link) is rendered again.
//!
//! The file is written whole after a build that succeeded (through a temporary name, so a
//! build stopped half-way leaves the old file or the new one), with a checksum; a file of
//! another binary or format is ignored in silence, a damaged one with a warning, and either
//! way the build is what a build without the cache would be.

use crate::codes;
use crate::content::Commentary;
use crate::error::Diagnostic;
use crate::glossary::coverage::Suggest;
use crate::markdown::Mention;
use crate::search::Terms;
use crate::site::ctx::{ArticleFp, Body, CorrectionOut};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The cache's folder under the site root.
pub const DIR: &str = ".scholia-cache";

/// `serve`'s folder in [`DIR`]: its cache files, its output and the output's keys, kept
/// from one session to the next.
pub const SERVE: &str = "serve";
/// What each commentary's render produced ([`Record`]).
pub(super) const ARTICLES: &str = "articles.bin";
/// Each commentary file as parsed, by its stamp ([`FileRecord`]).
pub(super) const FILES: &str = "files.bin";
/// Each language's glossary as commentaries read it ([`crate::site::affected::Surfaces`]).
pub(super) const GLOSSARY: &str = "glossary.bin";
const MAGIC: &[u8; 8] = b"SCHOLIA\x00";
/// The layout of the file and of a record: a new one ignores older files.
const FORMAT: u32 = 4;
/// Magic, format, binary, payload length, payload checksum.
const HEADER: usize = 8 + 4 + 8 + 8 + 8;

/// What a commentary's render produced, less its page: the fields of `Article` that are not
/// rebuilt from the front matter. Written borrowed from the article, read back owned.
#[derive(Serialize, Deserialize)]
pub(super) struct Record<'a> {
    pub(super) summary: Cow<'a, str>,
    pub(super) mentions: Cow<'a, [Mention]>,
    pub(super) candidates: Cow<'a, [(String, Suggest)]>,
    pub(super) cited: Cow<'a, [String]>,
    pub(super) cite_html: Cow<'a, str>,
    pub(super) jsonld: Cow<'a, str>,
    pub(super) references: Cow<'a, [String]>,
    pub(super) corrections: Cow<'a, [CorrectionOut]>,
    pub(super) correction_links: Cow<'a, [Mention]>,
    pub(super) diags: Cow<'a, [Diagnostic]>,
    pub(super) search: Cow<'a, Terms>,
    pub(super) has_pdf: bool,
    pub(super) pdf_key: Option<u64>,
    pub(super) fp: ArticleFp,
    /// Its body, for the newest few (the feed shows it).
    pub(super) body: Option<Cow<'a, Body>>,
}

/// A commentary file's front matter as parsed (its text is not kept: it is read again
/// only if the commentary must be rendered), found by the file's path and taken while the
/// file's stamp is the one it was read with: a build after an edit reads one file, not ten
/// thousand.
#[derive(Serialize, Deserialize)]
pub(super) struct FileRecord<'a> {
    pub(super) stamp: FileStamp,
    pub(super) commentary: Cow<'a, Commentary>,
    pub(super) diags: Cow<'a, [Diagnostic]>,
    /// Its fingerprint, of the file as read (with its text).
    pub(super) fp: u64,
}

/// What changes when a file is written: its size, modification and change times (to the
/// nanosecond) and inode. The change time cannot be set back, so a tool that restores a
/// modification time (`touch -d`, `cp -p`) still shows.
#[derive(Serialize, Deserialize, PartialEq, Eq, Clone, Copy, Debug)]
pub(super) struct FileStamp {
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
}

impl FileStamp {
    /// The stamp of the file at `path`, if it is one that can be trusted at `now`: a file
    /// changed within the last two seconds could change again within its file system's
    /// clock tick and keep the same stamp, so it is read every time until it settles (as
    /// Git does with its index).
    #[cfg(unix)]
    pub(super) fn of(path: &Path, now: std::time::SystemTime) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let settled = now
            .checked_sub(std::time::Duration::from_secs(2))
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|t| t.as_secs() as i64)?;
        (m.mtime() < settled && m.ctime() < settled && m.is_file()).then(|| FileStamp {
            len: m.len(),
            modified: (m.mtime(), m.mtime_nsec()),
            changed: (m.ctime(), m.ctime_nsec()),
            inode: m.ino(),
            device: m.dev(),
        })
    }

    /// Elsewhere every file is read.
    #[cfg(not(unix))]
    pub(super) fn of(_: &Path, _: std::time::SystemTime) -> Option<FileStamp> {
        None
    }
}

/// The cache of one build: the previous build's records (read on first use) and this one's.
pub(super) struct Cache {
    file: PathBuf,
    /// Shown in messages.
    shown: PathBuf,
    old: OnceLock<Old>,
    /// This build's records, written as they come (each after its key and length) to a
    /// file of its own, which takes the place of the old one once the build succeeded.
    new: Mutex<NewFile>,
}

/// The file this build writes its records to.
#[derive(Default)]
struct NewFile {
    /// The open file and its path, once a record came.
    out: Option<(std::io::BufWriter<std::fs::File>, PathBuf)>,
    /// Of the records written so far.
    sum: crc32fast::Hasher,
    len: u64,
    /// The first failure to write: the cache is not written, the build goes on.
    error: Option<std::io::Error>,
    /// Whether this build made the cache's folder (a failed build removes it again: it
    /// changes nothing in the site).
    made_dir: bool,
}

/// Where each record is in a file's bytes: key → (start, length).
type Index = HashMap<u64, (usize, usize)>;

#[derive(Default)]
struct Old {
    bytes: Bytes,
    /// Where each record is in `bytes`.
    at: Index,
    /// Why the file was not used, when it was damaged.
    warning: Option<Diagnostic>,
}

/// A cache file's bytes: mapped, or read when it cannot be mapped (an empty file).
enum Bytes {
    /// Mapping takes the page cache's pages as they are: reading 175 MB into a buffer of
    /// our own was a fifth of a second build's time (10,000 commentaries), faulting in
    /// every page of the copy. Builds never change a cache file in place (a new one is
    /// renamed over it), so the mapped bytes stay as they were read.
    Map(memmap2::Mmap),
    Read(Vec<u8>),
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Read(Vec::new())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Map(m) => m,
            Bytes::Read(v) => v,
        }
    }
}

impl Bytes {
    fn of(path: &Path) -> std::io::Result<Bytes> {
        let file = std::fs::File::open(path)?;
        // SAFETY: see `Bytes::Map`: no build writes into a cache file or cuts it. Another
        // program doing so while a build runs could change what a record decodes to (the
        // decoding is bounded by the record's own length) or, by cutting it, stop the
        // build; `--no-cache` is the way out for a site whose folder others write into.
        match unsafe { memmap2::MmapOptions::new().populate().map(&file) } {
            Ok(m) => Ok(Bytes::Map(m)),
            Err(_) => std::fs::read(path).map(Bytes::Read),
        }
    }
}

/// This binary's fingerprint: its size and modification time (a rebuilt binary, even of
/// the same version, may write pages otherwise).
pub(super) fn binary() -> u64 {
    static FP: OnceLock<u64> = OnceLock::new();
    *FP.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        let mut h = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        if let Ok(m) = meta {
            m.len().hash(&mut h);
            m.modified().ok().hash(&mut h);
        }
        h.finish()
    })
}

fn warning(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        severity: crate::error::Severity::Warning,
        ..Diagnostic::file(codes::CACHE_DAMAGED, path, message)
    }
}

/// CRC-32 of the records: it finds damage (a cut, a changed byte) at memory speed, which a
/// build reading a hundred megabytes of cache notices.
fn checksum(bytes: &[u8]) -> u64 {
    u64::from(crc32fast::hash(bytes))
}

impl Cache {
    /// The cache file `name` of the site at `root`.
    #[cfg(test)]
    pub(super) fn new(root: &Path, name: &str) -> Cache {
        Cache::within(root, Path::new(DIR), name)
    }

    /// The cache file `name` in the folder `dir` of the site at `root`.
    fn within(root: &Path, dir: &Path, name: &str) -> Cache {
        let rel = dir.join(name);
        Cache {
            file: root.join(&rel),
            shown: crate::content::discover::shown(root, &rel),
            old: OnceLock::new(),
            new: Mutex::new(NewFile::default()),
        }
    }

    fn old(&self) -> &Old {
        self.old.get_or_init(|| {
            let Ok(bytes) = Bytes::of(&self.file) else {
                return Old::default();
            };
            match index(&bytes) {
                Ok(Some(at)) => Old {
                    bytes,
                    at,
                    warning: None,
                },
                // Another binary's or format's: not damaged, only of no use.
                Ok(None) => Old::default(),
                Err(why) => Old {
                    warning: Some(warning(
                        &self.shown,
                        format!(
                            "the build cache is damaged ({why}) and was not used; it is written \
                             again after this build, or delete the folder {DIR}"
                        ),
                    )),
                    ..Old::default()
                },
            }
        })
    }

    /// The previous build's record under `key`. A record that does not decode is a miss
    /// (the checksum makes that a bug, not damage).
    pub(super) fn get<'c, T: Deserialize<'c>>(&'c self, key: u64) -> Option<T> {
        use bincode::Options;
        let old = self.old();
        let &(start, len) = old.at.get(&key)?;
        // `bincode::serialize`'s encoding, with no claimed length beyond the record's own
        // bytes believed (a file made to pass the checksum must not make it allocate).
        bincode::DefaultOptions::new()
            .with_fixint_encoding()
            .allow_trailing_bytes()
            .with_limit(len as u64)
            .deserialize(&old.bytes[start..start + len])
            .ok()
    }

    /// Keeps `record` under `key` for the next build.
    pub(super) fn put<T: Serialize>(&self, key: u64, record: &T) {
        if let Ok(bytes) = bincode::serialize(record) {
            self.append(key, &bytes);
        }
    }

    /// Keeps the previous build's record under `key` as it is for the next build.
    pub(super) fn carry(&self, key: u64) {
        self.carry_as(key, key);
    }

    /// Keeps the previous build's record under `from` as it is for the next build, under
    /// `key`.
    pub(super) fn carry_as(&self, from: u64, key: u64) {
        let old = self.old();
        if let Some(&(start, len)) = old.at.get(&from) {
            self.append(key, &old.bytes[start..start + len]);
        }
    }

    fn append(&self, key: u64, bytes: &[u8]) {
        use std::io::Write;
        let mut guard = self.new.lock().unwrap_or_else(|p| p.into_inner());
        let new = &mut *guard;
        if new.error.is_some() {
            return;
        }
        let head = [key.to_le_bytes(), (bytes.len() as u64).to_le_bytes()].concat();
        let written = self.open(new).and_then(|out| {
            out.write_all(&head)?;
            out.write_all(bytes)
        });
        match written {
            Ok(()) => {
                new.sum.update(&head);
                new.sum.update(bytes);
                new.len += (head.len() + bytes.len()) as u64;
            }
            Err(e) => {
                new.error = Some(e);
                if let Some((_, tmp)) = new.out.take() {
                    let _ = std::fs::remove_file(tmp);
                }
            }
        }
    }

    /// This build's file, made with room for the header on first use. Two builds of one
    /// site at once each write their own; the last to finish stays.
    fn open<'n>(
        &self,
        new: &'n mut NewFile,
    ) -> std::io::Result<&'n mut std::io::BufWriter<std::fs::File>> {
        use std::io::Write;
        if new.out.is_none() {
            static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = self
                .file
                .with_extension(format!("{}-{n}.part", std::process::id()));
            if let Some(dir) = self.file.parent() {
                if !dir.is_dir() {
                    std::fs::create_dir_all(dir)?;
                    new.made_dir = true;
                }
            }
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
            out.write_all(&[0; HEADER])?;
            new.out = Some((out, tmp));
        }
        Ok(&mut new.out.as_mut().expect("just opened").0)
    }

    /// The warning about a damaged file, once it has been read.
    pub(super) fn warning(&self) -> Option<Diagnostic> {
        self.old.get().and_then(|o| o.warning.clone())
    }

    /// Puts this build's records in place of the previous ones. A cache that cannot be
    /// written is a warning: the site is built.
    pub(super) fn save(&self) -> Option<Diagnostic> {
        use std::io::{Seek, Write};
        let mut guard = self.new.lock().unwrap_or_else(|p| p.into_inner());
        let new = &mut *guard;
        let saved = (|| -> std::io::Result<()> {
            if let Some(e) = new.error.take() {
                return Err(e);
            }
            self.open(new)?;
            let (out, tmp) = new.out.take().expect("opened");
            let mut file = out.into_inner().map_err(|e| e.into_error())?;
            let mut head = Vec::with_capacity(HEADER);
            head.extend_from_slice(MAGIC);
            head.extend_from_slice(&FORMAT.to_le_bytes());
            head.extend_from_slice(&binary().to_le_bytes());
            head.extend_from_slice(&new.len.to_le_bytes());
            head.extend_from_slice(&u64::from(new.sum.clone().finalize()).to_le_bytes());
            file.seek(std::io::SeekFrom::Start(0))?;
            file.write_all(&head)?;
            drop(file);
            std::fs::rename(&tmp, &self.file).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
        })();
        saved.err().map(|e| {
            warning(
                &self.shown,
                format!("cannot write the build cache: {e}; the next build starts from nothing"),
            )
        })
    }
}

impl Cache {
    /// Throws this build's records away (it failed): whether this cache made the folder.
    fn discard(&mut self) -> bool {
        let new = self.new.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some((_, tmp)) = new.out.take() {
            let _ = std::fs::remove_file(tmp);
        }
        std::mem::take(&mut new.made_dir)
    }

    fn remove_dir(&self) {
        if let Some(dir) = self.file.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

impl Drop for Cache {
    /// A build that did not save (it failed) leaves no half-written file behind, nor the
    /// folder if it made it.
    fn drop(&mut self) {
        if self.discard() {
            self.remove_dir();
        }
    }
}

/// A build's cache files: commentaries' renders and commentary files.
pub(super) struct Caches {
    pub(super) articles: Cache,
    pub(super) files: Cache,
    pub(super) glossary: Cache,
    /// When the build began, for [`FileStamp::of`].
    pub(super) began: std::time::SystemTime,
}

impl Caches {
    /// The build cache of the site at `root`.
    pub(super) fn new(root: &Path) -> Caches {
        Caches::within(root, Path::new(DIR))
    }

    /// `serve`'s cache of the site at `root` ([`SERVE`]): its pages are made with another
    /// base URL than a build's, so its records are not a build's, and each keeps its own.
    pub(super) fn for_serve(root: &Path) -> Caches {
        Caches::within(root, &Path::new(DIR).join(SERVE))
    }

    fn within(root: &Path, dir: &Path) -> Caches {
        Caches {
            articles: Cache::within(root, dir, ARTICLES),
            files: Cache::within(root, dir, FILES),
            glossary: Cache::within(root, dir, GLOSSARY),
            began: std::time::SystemTime::now(),
        }
    }

    /// [`Cache::save`] of both.
    pub(super) fn save(&self) -> Option<Diagnostic> {
        let articles = self.articles.save();
        let files = self.files.save();
        articles.or(files).or(self.glossary.save())
    }

    /// Why a file was not used, for each damaged one.
    pub(super) fn warnings(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.articles
            .warning()
            .into_iter()
            .chain(self.files.warning())
    }
}

impl Drop for Caches {
    /// Either cache may have made the folder; it goes once neither has a file there.
    fn drop(&mut self) {
        let made = self.articles.discard() | self.files.discard() | self.glossary.discard();
        if made {
            self.articles.remove_dir();
        }
    }
}

/// Where each record is in a cache file's bytes; `Ok(None)` for a file of another binary or
/// format, `Err` for a damaged one.
fn index(bytes: &[u8]) -> Result<Option<Index>, String> {
    let word = |at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
    };
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err("not a cache file, or cut short".into());
    }
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if format != FORMAT || word(12) != Some(binary()) {
        return Ok(None);
    }
    let (len, sum) = (word(20).unwrap_or(0), word(28).unwrap_or(0));
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len {
        return Err(format!(
            "{} bytes of records where {len} were written",
            payload.len()
        ));
    }
    if checksum(payload) != sum {
        return Err("its checksum does not match".into());
    }
    let mut at = HashMap::new();
    let mut i = 0;
    while i < payload.len() {
        let (Some(key), Some(n)) = (
            word(HEADER + i),
            word(HEADER + i + 8).and_then(|n| usize::try_from(n).ok()),
        ) else {
            return Err("a record is cut short".into());
        };
        let start = HEADER + i + 16;
        if n > bytes.len().saturating_sub(start) {
            return Err("a record is cut short".into());
        }
        at.insert(key, (start, n));
        i += 16 + n;
    }
    Ok(Some(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(summary: &str) -> Record<'_> {
        Record {
            summary: summary.into(),
            mentions: Cow::Borrowed(&[]),
            candidates: Cow::Borrowed(&[]),
            cited: Cow::Borrowed(&[]),
            cite_html: "".into(),
            jsonld: "".into(),
            references: Cow::Borrowed(&[]),
            corrections: Cow::Borrowed(&[]),
            correction_links: Cow::Borrowed(&[]),
            diags: Cow::Borrowed(&[]),
            search: Cow::Owned(Terms::default()),
            has_pdf: false,
            pdf_key: Some(7),
            fp: ArticleFp::default(),
            body: None,
        }
    }

    fn saved(dir: &Path) -> Cache {
        let c = Cache::new(dir, ARTICLES);
        c.put(1, &record("one"));
        c.put(2, &record("two"));
        assert!(c.save().is_none());
        Cache::new(dir, ARTICLES)
    }

    /// A saved cache: its folder, its file and the file's bytes.
    fn saved_file() -> (tempfile::TempDir, PathBuf, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        saved(dir.path());
        let file = dir.path().join(DIR).join(ARTICLES);
        let bytes = std::fs::read(&file).unwrap();
        (dir, file, bytes)
    }

    #[test]
    fn records_come_back_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let c = saved(dir.path());
        assert_eq!(c.get::<Record>(2).unwrap().summary, "two");
        assert_eq!(c.get::<Record>(1).unwrap().pdf_key, Some(7));
        assert!(c.get::<Record>(3).is_none());
        assert!(c.warning().is_none());
    }

    #[test]
    fn a_build_that_does_not_save_leaves_the_old_file_and_nothing_else() {
        let (dir, file, before) = saved_file();
        let c = Cache::new(dir.path(), ARTICLES);
        c.put(3, &record("three"));
        drop(c);
        assert_eq!(std::fs::read(&file).unwrap(), before);
        assert_eq!(std::fs::read_dir(dir.path().join(DIR)).unwrap().count(), 1);
        // Nor a folder it made.
        let other = tempfile::tempdir().unwrap();
        let c = Cache::new(other.path(), ARTICLES);
        c.put(3, &record("three"));
        drop(c);
        assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
        // A build with no commentary writes a cache with no record.
        let c = Cache::new(dir.path(), ARTICLES);
        assert!(c.save().is_none());
        assert!(Cache::new(dir.path(), ARTICLES).get::<Record>(1).is_none());
        assert!(Cache::new(dir.path(), ARTICLES).warning().is_none());
    }

    #[test]
    fn a_damaged_or_cut_file_is_a_warning_and_no_record() {
        let (dir, file, good) = saved_file();
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0x20;
        for bad in [
            flipped,
            good[..good.len() - 5].to_vec(),
            good[..10].to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&file, &bad).unwrap();
            let c = Cache::new(dir.path(), ARTICLES);
            assert!(c.get::<Record>(1).is_none() && c.get::<Record>(2).is_none());
            let w = c.warning().expect("a warning");
            assert_eq!(w.code, codes::CACHE_DAMAGED.id);
            assert!(w.message.contains("damaged"), "{}", w.message);
        }
    }

    #[test]
    fn a_record_claiming_more_than_it_holds_is_a_miss() {
        let (dir, file, mut bytes) = saved_file();
        // The first record's summary length (after its key and size) said to be 2^60, the
        // checksum made right again.
        bytes[HEADER + 16..HEADER + 24].copy_from_slice(&(1u64 << 60).to_le_bytes());
        let sum = checksum(&bytes[HEADER..]);
        bytes[28..36].copy_from_slice(&sum.to_le_bytes());
        std::fs::write(&file, &bytes).unwrap();
        let c = Cache::new(dir.path(), ARTICLES);
        assert!(c.get::<Record>(1).is_none());
        assert_eq!(c.get::<Record>(2).unwrap().summary, "two");
        assert!(c.warning().is_none());
    }

    #[test]
    fn another_binarys_file_is_ignored_quietly() {
        let (dir, file, mut other) = saved_file();
        other[12] ^= 1;
        std::fs::write(&file, &other).unwrap();
        let c = Cache::new(dir.path(), ARTICLES);
        assert!(c.get::<Record>(1).is_none());
        assert!(c.warning().is_none());
    }

    #[test]
    fn a_file_changed_in_the_last_two_seconds_has_no_stamp_yet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "x").unwrap();
        let now = std::time::SystemTime::now();
        assert!(FileStamp::of(&path, now).is_none());
        let later = now + std::time::Duration::from_secs(3);
        let stamp = FileStamp::of(&path, later).expect("settled");
        std::fs::write(&path, "y").unwrap();
        // Same size, and the modification time put back: the change time still differs
        // (or, on a coarse clock, the file is not settled yet).
        let _ = std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = FileStamp::of(&path, later + std::time::Duration::from_secs(1));
        assert_ne!(again, Some(stamp));
        assert!(FileStamp::of(&dir.path().join("none.md"), later).is_none());
    }

    #[test]
    fn a_file_record_keeps_front_matter_data_of_every_kind() {
        use crate::content::front_matter::Yaml;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.md");
        std::fs::write(&file, "c").unwrap();
        let mut c = crate::content::parse_commentary_in(
            &file,
            "---\ntitle: T\ndate: 2020-01-02\nextra:\n  n: 1\n  f: 1.5\n  l: [a, ~, true]\n---\nBody\n"
                .into(),
            None,
        )
        .0
        .expect("a commentary");
        c.file.text = String::new();
        assert!(matches!(&c.extra, Yaml::Map(m) if m.len() == 3));
        let stamp = FileStamp::of(
            &file,
            std::time::SystemTime::now() + std::time::Duration::from_secs(9),
        )
        .unwrap();
        let cache = Cache::new(dir.path(), FILES);
        let record = FileRecord {
            stamp,
            commentary: Cow::Borrowed(&c),
            diags: Cow::Borrowed(&[]),
            fp: 5,
        };
        cache.put(1, &record);
        assert!(cache.save().is_none());
        let cache = Cache::new(dir.path(), FILES);
        let back: FileRecord = cache.get(1).unwrap();
        assert_eq!(*back.commentary, c);
        assert_eq!((back.stamp, back.fp), (stamp, 5));
    }
}
