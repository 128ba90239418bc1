//! The content stage: which files there are, which to read again, and their parsed values.

use super::*;

impl Pipeline {
    /// Finds and reads the content files: the files the watcher named, or (without a list,
    /// or when one is not a Markdown file in a section) a walk of content/. A kept file is
    /// read again only when its modification time or size changed.
    pub(super) fn content(
        &mut self,
        changed: Option<&[PathBuf]>,
        diags: &mut Vec<Diagnostic>,
        reads: &mut usize,
    ) -> Option<Files> {
        let counted = std::sync::atomic::AtomicUsize::new(0);
        let root = self.opts.root.clone();
        let config = &self.memo.config.as_ref().expect("config first").config;
        let max = config.max_file_bytes;
        let langs = config.codes();
        let keep = self.keep;
        let keyed = self.keyed;
        let mut files = std::mem::take(&mut self.memo.content.files);
        let fast = match changed {
            Some(paths) if self.memo.content.scan.is_some() => self.update_scan(paths, &mut files),
            _ => false,
        };
        let load = |path: &Path, display: &Path, section: Section, st: (Stamp, Option<Stamp>)| {
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (parsed, diags) = discover::load(path, display, section, max, &langs);
            let fp = if keyed { fp(&parsed) } else { 0 };
            FileState {
                stamp: st,
                parsed,
                diags,
                fp,
            }
        };
        let cm = &mut self.memo.content;
        if fast {
            let todo = std::mem::take(&mut cm.pending);
            let read: Vec<(OsString, FileState)> = todo
                .into_par_iter()
                .map(|(path, display, section)| {
                    let st = file_stamp(&path, section);
                    let state = load(&path, &display, section, st);
                    (path.into_os_string(), state)
                })
                .collect();
            files.extend(read);
        } else {
            let mut walk_diags = Vec::new();
            let Some(scan) = discover::scan(&root, &mut walk_diags) else {
                cm.scan = None;
                diags.extend(walk_diags);
                return None;
            };
            let stamped = self.cache.as_ref().map(|c| (&c.files, c.began));
            let read: Vec<(OsString, FileState)> = scan
                .files
                .par_iter()
                .filter_map(|(path, display, section)| {
                    let st = if keep {
                        file_stamp(path, *section)
                    } else {
                        ((None, 0), None)
                    };
                    if files
                        .get(path.as_os_str())
                        .is_some_and(|f| fresh(&f.stamp.0, &st.0) && f.stamp.1 == st.1)
                    {
                        return None;
                    }
                    let state = match stamped {
                        Some((cache, began)) if *section == Section::Commentary => {
                            let key = fp(&(path.as_os_str().as_encoded_bytes(), max, &langs));
                            by_stamp(cache, key, path, began, st, || {
                                load(path, display, *section, st)
                            })
                        }
                        _ => load(path, display, *section, st),
                    };
                    Some((path.as_os_str().to_owned(), state))
                })
                .collect();
            files.extend(read);
            let present: HashSet<&OsStr> =
                scan.files.iter().map(|(p, _, _)| p.as_os_str()).collect();
            files.retain(|p, _| present.contains(p.as_os_str()));
            cm.scan = Some(scan);
            cm.walk_diags = walk_diags;
            cm.pending.clear();
        }
        diags.extend(cm.walk_diags.iter().cloned());
        *reads = counted.into_inner();
        Some(files)
    }

    /// Applies the watcher's paths to the last walk; `false` when a walk is needed (a folder,
    /// a static file, a symbolic link, a file outside the sections: things the walk judges).
    pub(super) fn update_scan(&mut self, paths: &[PathBuf], files: &mut Files) -> bool {
        let root = &self.opts.root;
        let cm = &mut self.memo.content;
        let Some(scan) = cm.scan.as_mut() else {
            return false;
        };
        let walk = |p: &Path| {
            if std::env::var_os("SCHOLIA_SERVE_TRACE").is_some() {
                eprintln!("  a walk is needed for {}", p.display());
            }
            false
        };
        for path in paths {
            let Some(rel) = path
                .strip_prefix(&self.canonical_root)
                .or_else(|_| path.strip_prefix(root))
                .ok()
            else {
                return walk(path);
            };
            let Ok(in_content) = rel.strip_prefix("content") else {
                // The configuration and the theme are compared whole on every run.
                continue;
            };
            if discover::is_ignored(in_content) {
                continue;
            }
            if in_content.starts_with("static") || in_content.as_os_str().is_empty() {
                return walk(path);
            }
            let full = root.join(rel);
            let meta = std::fs::symlink_metadata(&full);
            let is_md = rel.extension().is_some_and(|e| e == "md");
            // A parties file is read with its treaty entry: read the entry again (a file
            // beside no entry is ignored, as a build ignores it).
            if let Some(entry) = parties::owner(&full) {
                let treaty = scan
                    .files
                    .binary_search_by(|(p, _, _)| p.cmp(&entry))
                    .ok()
                    .map(|i| scan.files[i].clone())
                    .filter(|f| f.2 == Section::Entry(Kind::Treaty));
                match treaty {
                    Some(f) if !meta.as_ref().is_ok_and(|m| m.is_dir()) => {
                        cm.pending.push(f);
                        continue;
                    }
                    // A parties file of no treaty: the walk warns about it (or stops).
                    _ => return walk(path),
                }
            }
            // An entry added or removed beside a parties file: the walk decides whether
            // that file is an orphan, and says why.
            if is_md
                && matches!(discover::classify(in_content), Ok(Some(Section::Entry(_))))
                && parties::beside(&full).exists()
                && (meta.is_err()
                    || scan
                        .files
                        .binary_search_by(|(p, _, _)| p.cmp(&full))
                        .is_err())
            {
                return walk(path);
            }
            if !is_md {
                match &meta {
                    // Files other than Markdown outside static/ are ignored by builds.
                    Ok(m) if m.is_file() => continue,
                    // Something removed: fine unless it was a folder of known files.
                    Err(_) if !scan.files.iter().any(|(p, _, _)| p.starts_with(&full)) => continue,
                    _ => return walk(path),
                }
            }
            let section = match discover::classify(in_content) {
                Ok(Some(s)) => s,
                _ => return walk(path),
            };
            let at = scan.files.binary_search_by(|(p, _, _)| p.cmp(&full));
            match meta {
                Ok(m) if m.is_file() => {
                    if let Err(i) = at {
                        scan.files
                            .insert(i, (full.clone(), shown(root, rel), section));
                    }
                    cm.pending.push((full.clone(), shown(root, rel), section));
                }
                Ok(_) => return walk(path),
                Err(_) => {
                    if let Ok(i) = at {
                        scan.files.remove(i);
                    }
                    files.remove(full.as_os_str());
                }
            }
        }
        true
    }

    /// The parsed files by kind, in path order: owned (taken from `files`) in a full build,
    /// borrowed when kept.
    pub(super) fn loaded<'f>(
        &self,
        files: &'f mut Files,
        diags: &mut Vec<Diagnostic>,
    ) -> Loaded<'f> {
        let scan = self.memo.content.scan.as_ref().expect("set by content");
        let mut loaded = Loaded {
            commentaries: Vec::new(),
            entries: Vec::new(),
            pages: Vec::new(),
            statics: scan.statics.clone(),
        };
        if self.keep {
            let files: &'f Files = files;
            for (path, _, _) in &scan.files {
                let Some(f) = files.get(path.as_os_str()) else {
                    continue;
                };
                diags.extend(f.diags.iter().cloned());
                match &f.parsed {
                    Some(Parsed::C(c)) => loaded.commentaries.push((Cow::Borrowed(c), f.fp)),
                    Some(Parsed::E(e)) => loaded.entries.push((Cow::Borrowed(&**e), f.fp)),
                    Some(Parsed::P(p)) => loaded.pages.push((Cow::Borrowed(p), f.fp)),
                    None => {}
                }
            }
        } else {
            // Taken whole, so that the map's memory goes with it.
            let mut files = std::mem::take(files);
            for (path, _, _) in &scan.files {
                let Some(f) = files.remove(path.as_os_str()) else {
                    continue;
                };
                diags.extend(f.diags);
                // Fingerprints when keyed (0 otherwise).
                match f.parsed {
                    Some(Parsed::C(c)) => loaded.commentaries.push((Cow::Owned(c), f.fp)),
                    Some(Parsed::E(e)) => loaded.entries.push((Cow::Owned(*e), f.fp)),
                    Some(Parsed::P(p)) => loaded.pages.push((Cow::Owned(p), f.fp)),
                    None => {}
                }
            }
        }
        loaded
    }
}

/// A commentary file from the build cache when its stamp is the one it was read with (its
/// text left unread: see [`cache::FileRecord`]), or `load`ed and kept there for the next
/// build.
fn by_stamp(
    cache: &cache::Cache,
    key: u64,
    path: &Path,
    began: std::time::SystemTime,
    st: (Stamp, Option<Stamp>),
    load: impl FnOnce() -> FileState,
) -> FileState {
    let Some(stamp) = cache::FileStamp::of(path, began) else {
        return load();
    };
    if let Some(r) = cache
        .get::<cache::FileRecord>(key)
        .filter(|r| r.stamp == stamp)
    {
        cache.carry(key);
        return FileState {
            // A kept pipeline's, for its next walk.
            stamp: st,
            parsed: Some(Parsed::C(r.commentary.into_owned())),
            diags: r.diags.into_owned(),
            fp: r.fp,
        };
    }
    let mut state = load();
    if let Some(Parsed::C(c)) = &mut state.parsed {
        // Kept without its text, which is put back.
        let text = std::mem::take(&mut c.file.text);
        cache.put(
            key,
            &cache::FileRecord {
                stamp,
                commentary: Cow::Borrowed(c),
                diags: Cow::Borrowed(&state.diags),
                fp: state.fp,
            },
        );
        c.file.text = text;
    }
    state
}
