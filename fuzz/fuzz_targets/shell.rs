//! Any text as a shell command: the analysis never panics.
//! cargo +nightly fuzz run shell
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = ana::policy::shell::analyze(s, "/home/dev/project", "/home/dev");
    }
});
