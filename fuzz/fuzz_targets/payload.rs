//! Any bytes on the hook's stdin: parsing and classifying never panic.
//! cargo +nightly fuzz run payload
#![no_main]
use libfuzzer_sys::fuzz_target;

use ana::action::Agent;
use ana::policy::{Env, Policy};

fuzz_target!(|data: &[u8]| {
    let policy = Policy { layers: vec![ana::rules::builtin()] };
    let env = Env { home: "/home/dev", project: Some("/home/dev/project"), vars: &[] };
    for agent in Agent::ALL {
        for with_content in [false, true] {
            if let Ok(action) = ana::wire::parse(agent, data, "/home/dev", with_content) {
                let _ = policy.evaluate(&action, &env);
            }
        }
    }
    let _ = ana::wire::detect_agent(data, |_| None);
});
