//! The module graph: which top-level modules of `ana` (and of `ana-agent`) use which, read from
//! the sources. The seams between the protocol, the history records, the history store and the
//! client stay one-way, and the agent's shared authenticator module names no backend.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `crate::NAME` references in `text`, outside comments and the `#[cfg(test)]` module.
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let line = line.split(" //").next().unwrap_or(line);
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::X, b, c::{..}}`: the first segment of each item.
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name: String = item.trim().chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// Each top-level module under `src` and the other top-level modules it uses.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).unwrap();
            let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned();
            if top == "lib" || top == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            g.entry(top.clone()).or_default().extend(uses(&text).into_iter().filter(|m| *m != top));
        }
    }
    let names: BTreeSet<String> = g.keys().cloned().collect();
    for deps in g.values_mut() {
        deps.retain(|d| names.contains(d));
    }
    g
}

/// Whether `to` is reachable from `from`.
fn reaches(g: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(m) = todo.pop() {
        for d in g.get(&m).into_iter().flatten() {
            if d == to {
                return true;
            }
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    false
}

#[test]
fn the_reader_sees_plain_and_grouped_uses() {
    let u = uses("use crate::{intent::hex, paths};\nlet x = crate::record::Record::new(); // crate::history\n// crate::ipc\n");
    assert_eq!(u, ["intent", "paths", "record"].into_iter().map(String::from).collect());
}

#[test]
fn protocol_history_and_ipc_form_no_cycle() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(g.contains_key("history") && g.contains_key("protocol") && g.contains_key("record"), "{g:?}");
    assert!(reaches(&g, "history", "protocol") && reaches(&g, "history", "ipc"), "the graph is read: {g:?}");
    for m in ["protocol", "record", "ipc", "history", "time", "closed_set"] {
        assert!(!reaches(&g, m, m), "`{m}` is in an import cycle: {g:?}");
    }
    for low in ["record", "protocol", "ipc", "time", "render", "intent", "webauthn", "closed_set"] {
        assert!(!reaches(&g, low, "history"), "`{low}` reaches up into `history`: {g:?}");
    }
}

#[test]
fn the_agents_authenticator_names_no_backend() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/ana-agent/src"));
    assert!(g["ctaphid"].contains("authenticator"), "the graph is read: {g:?}");
    for m in g.keys() {
        assert!(!reaches(&g, m, m), "`{m}` is in an import cycle: {g:?}");
    }
}
