//! Loads the policy layers: built-in packs (compiled into the binary), the system file, the
//! user's file, and the project's file (which may only tighten).
//!
//! The hook never parses TOML when a compiled copy is current: policy files are compiled once into
//! a postcard blob in the data directory, keyed by each file's path, size, inode and mtime. The
//! cache sits beside the history, under the same self-protection rules as the policy itself.

use std::borrow::Cow;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::paths::Paths;
use crate::policy::Policy;
use crate::policy::schema::{self, Compiled, Layer};

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

mod generated {
    //! The built-in packs, compiled by build.rs into static tables.
    use crate::policy::glob::{Glob, PathGlob, PathsFilter};
    use crate::policy::schema::*;
    use std::borrow::Cow;
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// A policy file that cannot be used; the hook denies every call while one exists.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PolicyError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid { path: String, line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
}

/// The built-in packs alone. Costs nothing: the tables are static.
pub fn builtin() -> Compiled<'static> {
    Compiled {
        index: Some(&generated::INDEX),
        layer: Layer::Builtin,
        rules: Cow::Borrowed(generated::RULES),
        programs: Cow::Borrowed(generated::PROGRAMS),
        disable: Cow::Borrowed(&[]),
        profiles: Cow::Borrowed(&[]),
    }
}

/// The policy files that apply to a session whose project root is `project`, with their layer.
pub fn layer_files(paths: &Paths, project: Option<&str>) -> Vec<(Layer, PathBuf)> {
    // System mode: the user's file is the agent's to write, so, like a project's, it may only
    // tighten.
    let user = if paths.mode == crate::paths::Mode::System { Layer::Project } else { Layer::User };
    let mut v = vec![(Layer::System, paths.system_policy()), (user, paths.user_policy())];
    if let Some(p) = project {
        v.push((Layer::Project, Path::new(p).join(".ana").join("policy.toml")));
    }
    v
}

/// Loads every layer. Files that do not exist are skipped; a file that exists but cannot be read
/// or compiled is an error.
pub fn load(paths: &Paths, project: Option<&str>) -> Result<Policy<'static>, PolicyError> {
    let mut present: Vec<(Layer, PathBuf, std::fs::Metadata)> = Vec::new();
    for (layer, path) in layer_files(paths, project) {
        match std::fs::metadata(&path) {
            Ok(m) => present.push((layer, path, m)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(PolicyError::Unreadable { path: path.display().to_string(), message: e.to_string() }),
        }
    }
    let mut layers = vec![builtin()];
    if present.is_empty() {
        return Ok(Policy { layers });
    }
    let mut h = DefaultHasher::new();
    schema::tool::NAMES.len().hash(&mut h);
    generated::FINGERPRINT.hash(&mut h);
    for (layer, path, m) in &present {
        (*layer as u8, path, m.len(), m.ino(), m.mtime(), m.mtime_nsec()).hash(&mut h);
    }
    let cache = paths.policy_cache().join(format!("{:016x}.bin", h.finish()));
    // System mode: the cache sits in the user's files, where an agent could plant a compiled
    // "allow"; the hook compiles the files itself.
    let trusted_cache = paths.mode == crate::paths::Mode::User;
    if let Some(bytes) = trusted_cache.then(|| std::fs::read(&cache).ok()).flatten() {
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if let Ok(compiled) = postcard::from_bytes::<Vec<Compiled<'static>>>(bytes) {
            layers.extend(compiled);
            return Ok(Policy { layers });
        }
    }
    let mut compiled = Vec::new();
    for (layer, path, _) in &present {
        compiled.push(compile_file(path, *layer)?);
    }
    if let (true, Ok(bytes)) = (trusted_cache, postcard::to_allocvec(&compiled)) {
        let _ = crate::keys::write_private(&cache, &bytes);
    }
    layers.extend(compiled);
    Ok(Policy { layers })
}

/// Reads and compiles one policy file. The text is kept for the life of the process.
pub fn compile_file(path: &Path, layer: Layer) -> Result<Compiled<'static>, PolicyError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Unreadable { path: shown.clone(), message: e.to_string() })?;
    compile_text(text, &shown, layer)
}

/// Compiles policy text; `name` is used in errors.
pub fn compile_text(text: String, name: &str, layer: Layer) -> Result<Compiled<'static>, PolicyError> {
    let text: &'static str = Box::leak(text.into_boxed_str());
    let invalid = |e: schema::SpecError| PolicyError::Invalid { path: name.to_owned(), line: e.line, column: e.column, message: e.message };
    let file: &'static schema::PolicyFile = Box::leak(Box::new(schema::parse_file(text).map_err(invalid)?));
    if layer == Layer::Project && !file.disable.is_empty() {
        return Err(PolicyError::Invalid { path: name.to_owned(), line: 1, column: 1, message: "a project policy may only tighten: `disable` belongs in your own policy".into() });
    }
    let compiled = schema::compile(file, text, layer).map_err(invalid)?;
    let builtin = builtin();
    for id in compiled.disable.iter() {
        match builtin.rules.iter().find(|r| r.id == *id) {
            None => return Err(PolicyError::Invalid { path: name.to_owned(), line: 1, column: 1, message: format!("`disable` names `{id}`, which is not a built-in rule") }),
            Some(r) if r.protected => {
                return Err(PolicyError::Invalid { path: name.to_owned(), line: 1, column: 1, message: format!("`{id}` is part of the self-protection pack and cannot be disabled") });
            }
            Some(_) => {}
        }
    }
    Ok(compiled)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// build.rs writes the built-in packs out as static tables without naming their fields; what
    /// it writes must be exactly what compiling the same TOML at run time gives, every field of
    /// every rule and program, in order.
    #[test]
    fn generated_tables_equal_the_packs_compiled_at_run_time() {
        let builtin = builtin();
        let (mut rules, mut programs) = (0, 0);
        for (name, _, text) in PACKS {
            let file: &'static schema::PolicyFile = Box::leak(Box::new(schema::parse_file(text).unwrap_or_else(|e| panic!("{name}: {}", e.message))));
            let compiled = schema::compile(file, text, Layer::Builtin).unwrap_or_else(|e| panic!("{name}: {}", e.message));
            for rule in compiled.rules.iter() {
                assert_eq!(builtin.rules.get(rules), Some(rule), "pack {name}, rule {}", rule.id);
                rules += 1;
            }
            for program in compiled.programs.iter() {
                assert_eq!(builtin.programs.get(programs), Some(program), "pack {name}, program {}", program.name);
                programs += 1;
            }
        }
        assert_eq!((rules, programs), (builtin.rules.len(), builtin.programs.len()), "the tables hold nothing the packs do not");
        assert!(rules > 100, "the packs were read ({rules} rules)");
        // The index's tables say what the rules say.
        let ix = builtin.index.expect("the built-in packs are indexed");
        for (name, ids) in ix.by_program {
            assert_eq!(ix.for_program(name), *ids, "{name}");
        }
        for name in ["", "no-such-program", "gi", "gitx", "GIT"] {
            assert!(ix.for_program(name).is_empty(), "{name}");
        }
    }
}
