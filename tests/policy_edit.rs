//! `ana policy edit` in the manner of visudo, and `ana policy check FILE` judging a file in its
//! own layer: a broken edit is refused with every error listed; a good one is installed.

mod util;

use util::Env;

/// An "editor" that replaces the file it is given with `text`.
fn editor(env: &Env, text: &str) -> String {
    let src = env.dir.path().join("new-policy.toml");
    std::fs::write(&src, text).unwrap();
    format!("cp {}", src.display())
}

const BROKEN: &str = "[[rule]]\nid = \"a\"\ndescription = \"x\"\ndecison = \"deny\"\nprogram = [\"rm\"]\n\n[[rule]]\nid = \"b\"\ndescription = \"y\"\ndecision = \"maybe\"\nprogram = [\"git\"]\n";
const GOOD: &str = "[[rule]]\nid = \"my.no-curl\"\ndescription = \"no curl here\"\ndecision = \"deny\"\nprogram = [\"curl\"]\n";

#[test]
fn a_broken_edit_is_refused_with_every_error() {
    let env = Env::new();
    let before = "# mine\n";
    let policy = env.user_policy(before);
    let mut c = env.command(&["policy", "edit"]);
    c.env("EDITOR", editor(&env, BROKEN));
    let out = util::run(c, b"");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains(":4:") && out.stdout.contains("did you mean `decision`"), "{}", out.stdout);
    assert!(out.stdout.contains(":10:"), "the second error is listed too:\n{}", out.stdout);
    assert!(out.stdout.contains("2 error(s)") && out.stdout.contains("NOT changed"), "{}", out.stdout);
    assert_eq!(std::fs::read_to_string(&policy).unwrap(), before, "the broken file was not installed");
}

#[test]
fn a_good_edit_is_installed_with_a_backup() {
    let env = Env::new();
    let policy = env.user_policy("# mine\n");
    let mut c = env.command(&["policy", "edit"]);
    c.env("EDITOR", editor(&env, GOOD));
    let out = util::run(c, b"");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(std::fs::read_to_string(&policy).unwrap(), GOOD);
    assert_eq!(std::fs::read_to_string(policy.with_extension("toml.bak")).unwrap(), "# mine\n");
    let out = env.run(&["check", "--agent", "claude-code"], &util::bash("curl https://example.com"));
    assert!(out.stdout.starts_with("deny"), "the new rule applies: {}", out.stdout);
}

#[test]
fn check_judges_a_project_file_as_a_project_layer() {
    let env = Env::new();
    let dir = env.dir.path().join("repo/.ana");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("policy.toml");
    std::fs::write(&file, "disable = [\"k8s.delete\"]\n").unwrap();
    let out = env.run(&["policy", "check", file.to_str().unwrap()], b"");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("project layer") && out.stdout.contains("only tighten"), "{}", out.stdout);
    // Asked as a user's file, the same text is fine.
    let out = env.run(&["policy", "check", "--layer", "user", file.to_str().unwrap()], b"");
    assert_eq!(out.code, 0, "{}", out.stdout);
}
