//! The git directories around a project whose configuration and hooks a confined command must
//! not change: what git itself reads for the project's repository, and the repositories directly
//! reachable from it.
//!
//! Found with a bounded number of lookups, never a walk of the tree:
//! - the project's `.git`: a directory, or a file `gitdir: …` (a linked worktree, a submodule's
//!   working tree), then that git directory's `commondir` (where a worktree's shared config and
//!   hooks live);
//! - the linked worktrees' git directories beneath the common directory (`worktrees/*`, each
//!   with a `commondir` of its own);
//! - the submodules' git directories beneath the common directory's `modules/` (their names may
//!   hold `/`; at most [`MODULE_DEPTH`] levels), and the `.git` of each submodule path named in
//!   the project's `.gitmodules`;
//! - the `.git` of each directory directly in the project (a nested repository, a submodule).
//!
//! Not covered: repositories nested deeper that no `.gitmodules` names, and a hooks directory
//! that a repository's config moves elsewhere (`core.hooksPath`): when it lies in the project it
//! stays writable like the rest of the project.

use std::path::Path;

/// How deep submodule names are followed beneath `modules/`.
pub const MODULE_DEPTH: usize = 4;

/// At most this many directories directly in the project are looked at for a nested `.git`.
pub const NESTED_MAX: usize = 256;

/// What was found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The project repository's git directory and its common directory (one entry when they are
    /// the same), as absolute paths.
    pub own: Vec<String>,
    /// The linked worktrees' git directories beneath the common directory (`worktrees/*`).
    pub worktrees: Vec<String>,
    /// Other git directories: submodules' and nested repositories'.
    pub others: Vec<String>,
    /// `.git` files (`gitdir: …`) in the project: the project's own, submodules' working trees.
    pub links: Vec<String>,
}

/// The git directory a `.git` file points at, resolved against the directory holding it.
fn gitdir_of_file(dotgit: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dotgit).ok()?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    resolve(dotgit.parent()?, target)
}

fn resolve(base: &Path, target: &str) -> Option<String> {
    if target.is_empty() {
        return None;
    }
    let joined = if target.starts_with('/') { target.to_owned() } else { format!("{}/{target}", base.display()) };
    let p = crate::policy::path::normalize(&joined, "/", "/");
    p.starts_with('/').then_some(p)
}

fn is_real_dir(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
}

fn is_file(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file())
}

/// The git directory of the repository whose `.git` is `dotgit`, and whether `.git` is a file.
fn gitdir(dotgit: &Path) -> Option<(String, bool)> {
    let m = std::fs::symlink_metadata(dotgit).ok()?;
    if m.is_dir() {
        Some((dotgit.to_str()?.to_owned(), false))
    } else if m.is_file() {
        gitdir_of_file(dotgit).map(|g| (g, true))
    } else {
        None
    }
}

/// A repository's own git directory: `HEAD`, `objects/` and `refs/`.
fn is_git_dir(p: &Path) -> bool {
    is_file(&p.join("HEAD")) && is_real_dir(&p.join("objects")) && is_real_dir(&p.join("refs"))
}

/// How the git directory a `.git` file names is laid out, when it is one git made.
#[derive(Debug, PartialEq, Eq)]
enum Linked {
    /// A linked worktree's: `COMMON/worktrees/NAME`, whose `gitdir` names the `.git` file back.
    Worktree { common: String },
    /// A submodule's: a git directory beneath a `modules` directory of another, whose config's
    /// `core.worktree` names the project back.
    Submodule,
}

/// Whether the git directory `own`, which the `.git` file `dotgit` names, is laid out as git lays
/// out a linked worktree's or a submodule's, and names the project back. Only then are the
/// directories outside the project that it names write areas.
fn linked(own: &Path, dotgit: &Path, root: &Path) -> Option<Linked> {
    if !is_real_dir(own) || !is_file(&own.join("HEAD")) {
        return None;
    }
    let same = |text: &str, want: &Path| resolve(own, text.trim()).is_some_and(|p| Some(p.as_str()) == want.to_str().map(|w| w.trim_end_matches('/')));
    let parent = own.parent()?;
    if parent.file_name().is_some_and(|n| n == "worktrees")
        && let Some(common) = parent.parent().filter(|c| is_git_dir(c))
        && std::fs::read_to_string(own.join("gitdir")).is_ok_and(|t| same(&t, dotgit))
    {
        return Some(Linked::Worktree { common: common.to_str()?.to_owned() });
    }
    let beneath_modules = own.ancestors().skip(1).any(|a| a.file_name().is_some_and(|n| n == "modules") && a.parent().is_some_and(is_git_dir));
    let names_back = std::fs::read_to_string(own.join("config"))
        .is_ok_and(|t| t.lines().filter_map(|l| l.trim().split_once('=')).any(|(k, v)| k.trim().eq_ignore_ascii_case("worktree") && same(v.trim().trim_matches('"'), root)));
    (is_git_dir(own) && beneath_modules && names_back).then_some(Linked::Submodule)
}

/// Submodule git directories beneath `dir` (a `modules/` directory).
fn modules(dir: &Path, depth: usize, out: &mut Vec<String>) {
    if depth == 0 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let p = e.path();
        if p.join("HEAD").exists() {
            if let Some(s) = p.to_str() {
                out.push(s.to_owned());
            }
            modules(&p.join("modules"), depth - 1, out);
        } else {
            // A name with `/` in it: one more level.
            modules(&p, depth - 1, out);
        }
    }
}

/// The paths `.gitmodules` names (`path = …`), relative to the project.
fn gitmodules_paths(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| {
            let (k, v) = l.trim().split_once('=')?;
            (k.trim() == "path").then(|| v.trim().trim_matches('"')).filter(|v| !v.is_empty() && !v.starts_with('/') && !v.split('/').any(|c| c == ".."))
        })
        .collect()
}

/// Finds the layout of the repository at `project` (nothing when it is none).
pub fn layout(project: &str) -> Layout {
    let mut out = Layout::default();
    let root = Path::new(project);
    let dotgit = root.join(".git");
    nested(root, &mut out);
    let Some((own, linked_file)) = gitdir(&dotgit) else { return finish(out) };
    if linked_file && let Some(p) = dotgit.to_str() {
        out.links.push(p.to_owned());
    }
    // A `.git` file can name any directory, and a confined command can write one into a
    // directory of the project that is not a repository yet: the git directory it names counts
    // only when git laid it out and it names the project back (see [`linked`]).
    let common = if linked_file {
        match linked(Path::new(&own), &dotgit, root) {
            Some(Linked::Worktree { common }) => common,
            Some(Linked::Submodule) => own.clone(),
            None => return finish(out),
        }
    } else {
        own.clone()
    };
    out.own.push(own.clone());
    if common != own {
        out.own.push(common.clone());
    }
    modules(&Path::new(&common).join("modules"), MODULE_DEPTH, &mut out.others);
    if let Ok(rd) = std::fs::read_dir(Path::new(&common).join("worktrees")) {
        out.worktrees.extend(rd.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).filter_map(|e| e.path().to_str().map(str::to_owned)));
    }
    if let Ok(text) = std::fs::read_to_string(root.join(".gitmodules")) {
        for p in gitmodules_paths(&text) {
            let d = root.join(p).join(".git");
            if is_file(&d)
                && let Some(s) = d.to_str()
            {
                out.links.push(s.to_owned());
            }
        }
    }
    finish(out)
}

fn finish(mut out: Layout) -> Layout {
    out.others.sort();
    out.others.dedup();
    out.links.sort();
    out.links.dedup();
    out.worktrees.sort();
    out
}

/// The `.git` of each directory directly in the project.
fn nested(root: &Path, out: &mut Layout) {
    if let Ok(rd) = std::fs::read_dir(root) {
        for e in rd.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && e.file_name() != ".git").take(NESTED_MAX) {
            let d = e.path().join(".git");
            let Some(s) = d.to_str() else { continue };
            if is_real_dir(&d) {
                out.others.push(s.to_owned());
            } else if is_file(&d) && !out.links.iter().any(|l| l == s) {
                out.links.push(s.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitmodules_paths_are_read_and_escapes_dropped() {
        let text = "[submodule \"a\"]\n\tpath = vendor/a\n\turl = x\n[submodule \"b\"]\n\tpath=\"b\"\n\tpath = ../out\n\tpath = /abs\n";
        assert_eq!(gitmodules_paths(text), vec!["vendor/a", "b"]);
    }

    #[test]
    fn a_git_file_naming_a_directory_git_did_not_lay_out_opens_nothing() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        let project = d.join("p");
        // A directory that names the project back, but is no worktree of a repository.
        let elsewhere = d.join("docs");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::create_dir_all(elsewhere.join("objects")).unwrap();
        std::fs::create_dir_all(elsewhere.join("refs")).unwrap();
        std::fs::write(elsewhere.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(elsewhere.join("gitdir"), format!("{}/.git\n", project.display())).unwrap();
        std::fs::write(elsewhere.join("config"), format!("[core]\n\tworktree = {}\n", project.display())).unwrap();
        std::fs::write(project.join(".git"), format!("gitdir: {}\n", elsewhere.display())).unwrap();
        let l = layout(project.to_str().unwrap());
        assert!(l.own.is_empty(), "{l:?}");
        assert_eq!(l.links, vec![project.join(".git").display().to_string()], "the .git file itself is still held");
        // Laid out as a worktree of a repository: it counts, with the repository's git directory.
        let repo = d.join("main/.git");
        let wt = repo.join("worktrees/p");
        for sub in ["objects", "refs"] {
            std::fs::create_dir_all(repo.join(sub)).unwrap();
        }
        std::fs::create_dir_all(&wt).unwrap();
        std::fs::write(repo.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(wt.join("HEAD"), "ref: refs/heads/p\n").unwrap();
        std::fs::write(wt.join("gitdir"), format!("{}/.git\n", project.display())).unwrap();
        std::fs::write(wt.join("commondir"), "../..\n").unwrap();
        std::fs::write(project.join(".git"), format!("gitdir: {}\n", wt.display())).unwrap();
        let l = layout(project.to_str().unwrap());
        assert_eq!(l.own, vec![wt.display().to_string(), repo.display().to_string()], "{l:?}");
    }

    #[test]
    fn a_relative_gitdir_resolves_against_its_directory() {
        assert_eq!(resolve(Path::new("/p/sub"), "../.git/modules/sub").as_deref(), Some("/p/.git/modules/sub"));
        assert_eq!(resolve(Path::new("/p"), "/m/.git/worktrees/w").as_deref(), Some("/m/.git/worktrees/w"));
        assert_eq!(resolve(Path::new("/p"), ""), None);
    }
}
