//! Compiles the built-in rule packs (rules/*.toml) into a postcard blob in OUT_DIR, so the hook
//! never parses TOML. A broken pack fails the build with file:line:column.

#[allow(dead_code)]
#[path = "src/policy/schema.rs"]
mod schema;

use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/policy/schema.rs");
    let mut names: Vec<_> = fs::read_dir("rules")
        .expect("the rules/ directory ships with the source")
        .map(|e| e.expect("readable rules/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    names.sort();
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|p| (p.display().to_string(), fs::read_to_string(p).expect("readable pack")))
        .collect();
    let files: Vec<schema::PolicyFile> = texts
        .iter()
        .map(|(name, text)| {
            schema::parse_file(text).unwrap_or_else(|e| panic!("{name}:{}:{}: {}", e.line, e.column, e.message))
        })
        .collect();
    let mut all = schema::Compiled::default();
    let mut ids = std::collections::HashSet::new();
    let mut packs = String::new();
    for ((name, text), file) in texts.iter().zip(&files) {
        let c = schema::compile(file, text, schema::Layer::Builtin)
            .unwrap_or_else(|e| panic!("{name}:{}:{}: {}", e.line, e.column, e.message));
        for r in &c.rules {
            assert!(ids.insert(r.id), "{name}: rule id `{}` is used twice", r.id);
        }
        all.rules.extend(c.rules);
        all.programs.extend(c.programs);
        let pack = file.pack.as_ref().unwrap_or_else(|| panic!("{name}: a built-in pack needs a [pack] table"));
        packs.push_str(&format!("    ({:?}, {:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{}\"))),\n", pack.name, pack.description, name));
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let bytes = postcard::to_allocvec(&all).expect("the compiled rules serialize");
    fs::write(Path::new(&out).join("builtin.bin"), bytes).expect("OUT_DIR is writable");
    fs::write(
        Path::new(&out).join("packs.rs"),
        format!("/// (name, description, TOML source) of every built-in pack.\npub const PACKS: &[(&str, &str, &str)] = &[\n{packs}];\n"),
    )
    .expect("OUT_DIR is writable");
}
