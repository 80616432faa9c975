//! Programs that list files found below directories, for the next pipeline stage: `grep -l`,
//! `grep -rl`, `rg -l`, `rg --files`. Like `find DIR`, each line is a file below one of the
//! directories, written `DIR/<found>` (`xargs sed -i` then edits files below DIR).

use super::{FOUND, Walker, Word};

/// grep's and ripgrep's options that take the next word as their value.
const VALUES: &[&str] = &[
    "-e",
    "-f",
    "-m",
    "-A",
    "-B",
    "-C",
    "-d",
    "-D",
    "-g",
    "-t",
    "-T",
    "-j",
    "-M",
    "-E",
    "--regexp",
    "--file",
    "--max-count",
    "--glob",
    "--iglob",
    "--type",
    "--type-not",
    "--threads",
    "--max-depth",
    "--max-columns",
    "--encoding",
    "--context",
    "--before-context",
    "--after-context",
    "--include",
    "--exclude",
    "--exclude-dir",
    "--label",
    "--pre",
    "--sort",
    "--sortr",
    "--type-add",
];

impl Walker<'_> {
    /// Sets what a `grep -l`/`rg -l`/`rg --files` stage lists for the stage after it.
    pub(super) fn lists_files(&mut self, program: &str, argv: &[Word]) {
        let rg = matches!(program, "rg" | "ag" | "ack");
        let mut names_only = false;
        let mut recursive = rg;
        let mut pattern_given = false;
        let mut positional: Vec<&Word> = Vec::new();
        let mut i = 1;
        let mut options_done = false;
        while i < argv.len() {
            let a = argv[i].text.as_str();
            if !options_done && a == "--" {
                options_done = true;
            } else if !options_done && a.starts_with("--") {
                let name = a.split_once('=').map_or(a, |(n, _)| n);
                match name {
                    "--files-with-matches" | "--files-without-match" | "--files" => names_only = true,
                    "--recursive" | "--dereference-recursive" => recursive = true,
                    "--regexp" | "--file" => pattern_given = true,
                    _ => {}
                }
                if VALUES.contains(&name) && !a.contains('=') {
                    i += 1;
                }
            } else if !options_done && a.starts_with('-') && a.len() > 1 {
                let letters = &a[1..];
                if letters.contains(['l', 'L']) {
                    names_only = true;
                }
                if letters.contains(['r', 'R']) && !rg {
                    recursive = true;
                }
                if letters.ends_with(['e', 'f']) && !rg || (rg && matches!(a, "-e" | "-f")) {
                    pattern_given = true;
                }
                // A value-taking letter last in a cluster takes the next word.
                if let Some(last) = letters.bytes().last()
                    && VALUES.iter().any(|v| v.len() == 2 && v.as_bytes()[1] == last)
                    && (letters.len() == 1 || !rg)
                {
                    i += 1;
                }
            } else {
                positional.push(&argv[i]);
            }
            i += 1;
        }
        if !names_only {
            return;
        }
        // `rg --files [DIR…]` takes no pattern.
        let files_only = argv.iter().any(|w| w.text == "--files");
        let dirs: Vec<&Word> = if pattern_given || files_only { positional } else { positional.into_iter().skip(1).collect() };
        let dot = Word::lit(".");
        let dirs = if dirs.is_empty() && recursive { vec![&dot] } else { dirs };
        self.found = dirs
            .into_iter()
            .map(|d| if d.dynamic { Word { text: "(found files)".into(), dynamic: true, glob: false } } else { Word::lit(&format!("{}/{FOUND}", d.text.trim_end_matches('/'))) })
            .collect();
    }
}
