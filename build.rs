//! Compiles the built-in rule packs (rules/*.toml) into static Rust tables in OUT_DIR, so the
//! hook neither parses TOML nor decodes anything to load them. A broken pack fails the build with
//! file:line:column.

#[allow(dead_code)]
#[path = "src/policy/glob.rs"]
mod glob;
#[allow(dead_code)]
#[path = "src/policy/schema.rs"]
mod schema;

#[path = "build/rust_expr.rs"]
mod rust_expr;

use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

/// A compiled rule or program as the Rust expression of a static table's entry.
fn expr<T: serde::Serialize>(value: &T, name: &str) -> String {
    rust_expr::to_expr(value).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/policy/schema.rs");
    println!("cargo:rerun-if-changed=src/policy/glob.rs");
    println!("cargo:rerun-if-changed=build/rust_expr.rs");
    let mut names: Vec<_> =
        fs::read_dir("rules").expect("the rules/ directory ships with the source").map(|e| e.expect("readable rules/ entry").path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    names.sort();
    let texts: Vec<(String, String)> = names.iter().map(|p| (p.display().to_string(), fs::read_to_string(p).expect("readable pack"))).collect();
    let files: Vec<schema::PolicyFile> = texts.iter().map(|(name, text)| schema::parse_file(text).unwrap_or_else(|e| panic!("{name}:{}:{}: {}", e.line, e.column, e.message))).collect();
    let mut rules = String::from("pub static RULES: &[Rule<'static>] = &[\n");
    let mut all: Vec<(Vec<String>, u32)> = Vec::new(); // (programs, tools) per rule, for the index
    let mut programs = String::from("pub static PROGRAMS: &[Program<'static>] = &[\n");
    let mut packs = String::new();
    let mut ids = std::collections::HashSet::new();
    let mut fingerprint = DefaultHasher::new();
    // The compiled form follows the schema too: a new field must not meet an old cache.
    fs::read_to_string("src/policy/schema.rs").expect("the schema ships with the source").hash(&mut fingerprint);
    for ((name, text), file) in texts.iter().zip(&files) {
        text.hash(&mut fingerprint);
        let c = schema::compile(file, text, schema::Layer::Builtin).unwrap_or_else(|e| panic!("{name}:{}:{}: {}", e.line, e.column, e.message));
        for r in c.rules.iter() {
            assert!(ids.insert(r.id), "{name}: rule id `{}` is used twice", r.id);
            let _ = writeln!(rules, "{},", expr(r, name));
            all.push((r.programs.iter().map(|p| p.text.to_string()).collect(), r.tools));
        }
        for p in c.programs.iter() {
            let _ = writeln!(programs, "{},", expr(p, name));
        }
        let pack = file.pack.as_ref().unwrap_or_else(|| panic!("{name}: a built-in pack needs a [pack] table"));
        let _ = writeln!(packs, "    ({:?}, {:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{}\"))),", pack.name, pack.description, name);
    }
    rules.push_str("];\n");
    programs.push_str("];\n");
    let mut by_program: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut by_prefix: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let (mut any_program, mut mcp, mut other) = (Vec::new(), Vec::new(), Vec::new());
    // File rules by the kind of effect they can match, in the order of `Index::files_for`.
    let file_bits = [schema::tool::READ, schema::tool::WRITE, schema::tool::EDIT, schema::tool::DELETE, schema::tool::FETCH];
    let mut files: [Vec<usize>; 5] = Default::default();
    for (i, (progs, tools)) in all.iter().enumerate() {
        if tools & schema::tool::EXEC != 0 {
            // A literal program is looked up by name; a glob by the literal text it starts with
            // (`python3.*` by `python3.`); a rule with no program, or a glob that starts with a
            // wildcard, is tried for every command.
            let prefix = |p: &str| p[..p.find(['*', '?', '[', '{', '\\']).unwrap_or(p.len())].to_owned();
            if progs.is_empty() || progs.iter().any(|p| schema::is_glob(p) && prefix(p).is_empty()) {
                any_program.push(i);
            } else {
                for p in progs {
                    let (map, key) = if schema::is_glob(p) { (&mut by_prefix, prefix(p)) } else { (&mut by_program, p.clone()) };
                    let list = map.entry(key).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        for (list, bit) in files.iter_mut().zip(file_bits) {
            if tools & bit != 0 {
                list.push(i);
            }
        }
        if tools & schema::tool::MCP != 0 {
            mcp.push(i);
        }
        if tools & schema::tool::OTHER != 0 {
            other.push(i);
        }
    }
    let ids = |v: &[usize]| format!("&{v:?}");
    // Sorted by length, then text: the order `Index::for_program` searches in.
    fn sorted(m: &std::collections::BTreeMap<String, Vec<usize>>) -> Vec<(&String, &Vec<usize>)> {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|(a, _), (b, _)| (a.len(), a.as_str()).cmp(&(b.len(), b.as_str())));
        v
    }
    let entries = |m: &std::collections::BTreeMap<String, Vec<usize>>| {
        let v = sorted(m);
        v.iter().map(|(p, v)| format!("({p:?}, {})", ids(v))).collect::<Vec<_>>().join(", ")
    };
    let index = format!(
        "pub static INDEX: Index = Index {{ by_program: &[{}], program_slots: &{:?}, by_prefix: &[{}], any_program: {}, files: [{}], mcp: {}, other: {} }};\n",
        entries(&by_program),
        schema::name_slots(sorted(&by_program).into_iter().map(|(p, _)| p.as_str())),
        entries(&by_prefix),
        ids(&any_program),
        files.iter().map(|f| ids(f)).collect::<Vec<_>>().join(", "),
        ids(&mcp),
        ids(&other)
    );
    programs.push_str(&index);
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let generated = format!("{rules}{programs}/// Changes whenever a pack changes (keys the compiled-policy cache).\npub const FINGERPRINT: u64 = {};\n", fingerprint.finish());
    fs::write(Path::new(&out).join("builtin.rs"), generated).expect("OUT_DIR is writable");
    fs::write(Path::new(&out).join("packs.rs"), format!("/// (name, description, TOML source) of every built-in pack.\npub const PACKS: &[(&str, &str, &str)] = &[\n{packs}];\n"))
        .expect("OUT_DIR is writable");
}
