//! The glossary stage: the glossary, its entries' rendered bodies and the free pages', each
//! made again only as far as a change reaches.

use super::*;

impl Pipeline {
    /// The glossary and its entries' rendered bodies. A kept glossary is rebuilt only when an
    /// entry file changed, and an entry's body rendered again only when the change can reach
    /// it ([`affected`]). Returns how far the change reaches.
    pub(super) fn glossary(
        &self,
        lm: &mut LangMemo,
        lang: &Lang,
        entries: Vec<(Cow<Entry>, u64)>,
        text: crate::theme::i18n::Text,
        sources_changed: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Reach {
        let keep = self.keep;
        let hash = if self.keyed {
            fp(&(entries.iter().map(|(_, f)| *f).collect::<Vec<_>>(), &text))
        } else {
            0
        };
        let cm = self.memo.config.as_ref().expect("config first");
        let (config, routes) = (&lang.config, &lang.routes);
        let sources = &self.memo.sources.as_ref().expect("sources first").sources;
        let mut reach = Reach {
            all: sources_changed || !keep,
            changed: Vec::new(),
            touched: Touched::new(&affected::Changes::default()),
        };
        let old = lm.glossary.take();
        let (glossary, gdiags, old_renders, mut fps) = match old {
            Some(g) if g.hash == hash && keep => (g.glossary, g.diags, g.renders, g.fps),
            old => {
                let file_fps: HashMap<PathBuf, u64> = entries
                    .iter()
                    .map(|(e, f)| (e.file.path.clone(), *f))
                    .collect();
                let owned: Vec<Entry> = entries.into_iter().map(|(e, _)| e.into_owned()).collect();
                let other = lang.other().map(|code| (code, &cm.routes));
                let (g, gd) = Glossary::new_in(owned, routes, other, text, |body| {
                    summary::first_sentence(&summary::first_paragraph(body))
                });
                let (renders, fps) = match old {
                    // The theme's text is in every link's hover card and every page's words.
                    Some(o) if o.glossary.text != g.text => {
                        reach.all = true;
                        (o.renders, o.fps)
                    }
                    Some(o) => {
                        match affected::changed_entries(&o.glossary, &g) {
                            Some(c) => {
                                reach.touched = Touched::new(&c);
                                reach.changed = c.changed;
                            }
                            None => reach.all = true,
                        }
                        (o.renders, o.fps)
                    }
                    None => {
                        reach.all = true;
                        (Vec::new(), EntryFps::default())
                    }
                };
                let mut fps = fps;
                if self.keyed {
                    fps.entries = (0..g.entries.len())
                        .map(|i| {
                            let e = &g.entries[i];
                            fp(&(file_fps.get(&e.file.path), &g.summaries[i], &g.urls[i]))
                        })
                        .collect();
                }
                (g, gd, renders, fps)
            }
        };
        diags.extend(gdiags.iter().cloned());
        let n = glossary.entries.len();
        let renders = if reach.any() || old_renders.len() != n {
            let all = reach.all || old_renders.len() != n;
            let redo: Vec<Option<Rendered>> = glossary
                .entries
                .par_iter()
                .enumerate()
                .map(|(i, e)| {
                    // Another language's original has no page here: nothing to render.
                    if glossary.foreign[i] {
                        return Some(Rendered::default());
                    }
                    let again = all
                        || reach.touched.hits(&old_renders[i].mentions, &e.file.text)
                        // An entry's own page reads its own fields.
                        || reach.changed.binary_search(&i).is_ok();
                    again.then(|| {
                        markdown::render(
                            &Input::new(&e.file, &glossary, config, sources)
                                .own_entry(i)
                                .editorial(self.opts.editorial),
                        )
                    })
                })
                .collect();
            if self.keyed {
                fps.renders.resize(n, 0);
                for (i, r) in redo.iter().enumerate() {
                    if let Some(r) = r {
                        fps.renders[i] = fp(&(&r.html, &r.notes, &r.works_cited));
                    }
                }
            }
            redo.into_iter()
                .zip(
                    old_renders
                        .into_iter()
                        .map(Some)
                        .chain(std::iter::repeat_with(|| None)),
                )
                .map(|(new, old)| new.or(old).unwrap_or_default())
                .collect()
        } else {
            old_renders
        };
        lm.glossary = Some(GlossaryMemo {
            hash,
            glossary,
            diags: gdiags,
            renders,
            fps,
        });
        reach
    }

    /// The free pages' rendered bodies, again when a page or the glossary changed.
    pub(super) fn free_pages(
        &self,
        lm: &mut LangMemo,
        loaded: &Loaded,
        visible: &[&Page],
        glossary_changed: bool,
    ) {
        let hash = if self.keyed {
            fp(&(
                loaded.pages.iter().map(|(_, f)| *f).collect::<Vec<_>>(),
                self.opts.drafts,
            ))
        } else {
            0
        };
        if !glossary_changed && lm.pages.as_ref().is_some_and(|(h, _)| *h == hash) {
            return;
        }
        let config = &self.memo.config.as_ref().expect("config first").config;
        let sources = &self.memo.sources.as_ref().expect("sources first").sources;
        let glossary = &lm.glossary.as_ref().expect("glossary first").glossary;
        let renders = visible
            .par_iter()
            .map(|p| {
                markdown::render(
                    &Input::new(&p.file, glossary, config, sources).editorial(self.opts.editorial),
                )
            })
            .collect();
        lm.pages = Some((hash, renders));
    }
}
